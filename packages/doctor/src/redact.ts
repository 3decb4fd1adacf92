/**
 * A connection URL as it may be shown: the password (whatever follows the user name, or a `password=`
 * option) becomes `***`. Works on what WHATWG URL rejects too: `mongodb://u:p@h1,h2/db`, an unescaped `@`.
 */
export function redactUrl(url: string): string {
  return hideUserinfoPassword(url).replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, "$1***");
}

function hideUserinfoPassword(url: string): string {
  const scheme = /^[a-z][\w+.-]*:\/\//i.exec(url)?.[0];
  const hidden = "(hidden: it may hold a password that cannot be told apart)";
  if (!scheme) return url.includes("@") ? hidden : url;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[?#]/);
  const at = rest.lastIndexOf("@", end === -1 ? undefined : end);
  // drivers want a password's `?`, `#` and `@` escaped; an unescaped one must not leak either
  if (at === -1) return rest.includes("@") ? `${scheme}${hidden}` : url;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(":");
  if (colon === -1) return url;
  return `${scheme}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
}
