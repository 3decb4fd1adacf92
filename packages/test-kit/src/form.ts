/** A POST with a form body, the way a browser form creates a todo (`content=…`). */
export const form = (content: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ content }).toString(),
});
