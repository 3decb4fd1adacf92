// The page's only script: a file from this server, since the Content-Security-Policy runs no other.
// Whatever a todo says is set with textContent, never parsed as HTML: "<img onerror=…>" stays text.

const $ = (id) => document.getElementById(id);

/** One API call with the session cookie; the API's JSON error message becomes the thrown Error. */
async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(data?.error?.message ?? `the server answered ${res.status}`);
  return data;
}

function say(text, isError = false) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
}

function todoItem(todo) {
  const item = document.createElement("li");
  item.className = todo.is_finished ? "finished" : "";
  const content = document.createElement("span");
  content.className = "content";
  content.textContent = todo.content;
  item.append(content);
  if (!todo.is_finished) {
    const finish = document.createElement("button");
    finish.type = "button";
    finish.textContent = "Finish";
    finish.addEventListener("click", () =>
      run(() => api("PUT", `/todo/${encodeURIComponent(todo.id)}/finish`)),
    );
    item.append(finish);
  }
  return item;
}

async function showTodos() {
  const me = await api("GET", "/me");
  const page = await api("GET", "/todo?limit=100");
  $("who").textContent = me.username;
  $("list").replaceChildren(...page.data.map(todoItem));
  $("sign-in").hidden = true;
  $("todos").hidden = false;
}

function showSignIn() {
  $("todos").hidden = true;
  $("sign-in").hidden = false;
}

/** Does `work`, then shows the list again; a failure is said on the page. */
async function run(work) {
  try {
    await work();
    await showTodos();
    say("");
  } catch (error) {
    say(error.message, true);
  }
}

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const path = event.submitter?.value === "signup" ? "/signup" : "/login";
  run(() => api("POST", path, { username: form.get("username"), password: form.get("password") }));
});

$("add").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = event.target.elements.content;
  run(async () => {
    await api("POST", "/todo", { content: input.value });
    input.value = "";
  });
});

$("logout").addEventListener("click", async () => {
  try {
    await api("POST", "/logout");
  } finally {
    showSignIn();
  }
});

// signed in already (the session cookie), or not
showTodos().catch(showSignIn);
