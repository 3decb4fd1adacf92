import { describe, expect, it } from "vitest";
import { redactUrl } from "../src/redact.js";

describe("redactUrl", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactUrl("mongodb://alice:s3cret@db:27017/todo")).toBe("mongodb://alice:***@db:27017/todo");
    expect(redactUrl("redis://:hunter2@cache:6379/0")).toBe("redis://:***@cache:6379/0");
    expect(redactUrl("mongodb+srv://bob:pw@cluster0.example.net/todo?retryWrites=true")).toBe(
      "mongodb+srv://bob:***@cluster0.example.net/todo?retryWrites=true",
    );
  });

  it("copes with what WHATWG URL rejects: several hosts, an unescaped @ in the password", () => {
    expect(redactUrl("mongodb://u:p@h1:27017,h2:27017/todo?replicaSet=rs")).toBe(
      "mongodb://u:***@h1:27017,h2:27017/todo?replicaSet=rs",
    );
    expect(redactUrl("mongodb://u:p@ss@db/todo")).toBe("mongodb://u:***@db/todo");
    expect(redactUrl("mongodb://u:p?ss@db/todo")).not.toContain("p?ss");
  });

  it("hides a password given as an option", () => {
    expect(redactUrl("redis://cache:6379?password=hunter2&db=1")).toBe(
      "redis://cache:6379?password=***&db=1",
    );
  });

  it("leaves a URL without a password as it is", () => {
    expect(redactUrl("mongodb://localhost:27017/todo")).toBe("mongodb://localhost:27017/todo");
    expect(redactUrl("mongodb://alice@db/todo?authMechanism=MONGODB-X509")).toBe(
      "mongodb://alice@db/todo?authMechanism=MONGODB-X509",
    );
  });
});
