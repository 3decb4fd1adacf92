import { ApiError } from "@zero-to-one/server-kit";
import type { Context } from "hono";
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { readBody } from "./input.js";
import type { User, UserStore } from "./store.js";

/** 3 to 32 characters: a–z, digits, `.`, `_`, `-`, starting with a letter or a digit. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
/** ASVS V2.1.1 and V2.1.2: at least 12 characters, and at least 64 allowed; no composition rules. */
export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 128;

/**
 * scrypt's cost: N = 2^ln, block size r, parallelism p. OWASP's Password Storage Cheat Sheet lists
 * N=2^17, r=8, p=1 and, as equally strong, N=2^14, r=8, p=5: the same work in 16 MiB of memory per
 * hash instead of 128 MiB, which matters when many people log in at once.
 */
const COST = { ln: 14, r: 8, p: 5 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

type Cost = typeof COST;

const derive = (password: string, salt: Buffer, cost: Cost, bytes: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = {
      N: 2 ** cost.ln,
      r: cost.r,
      p: cost.p,
      maxmem: 256 * 2 ** cost.ln * cost.r,
    };
    // NFKC first (NIST SP 800-63B): the same password typed on another keyboard is the same bytes
    scrypt(password.normalize("NFKC"), salt, bytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

const b64 = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");

/** A password hash in the PHC string format: `$scrypt$ln=14,r=8,p=5$<salt>$<hash>`, a fresh salt each time. */
export async function hashPassword(password: string, cost: Cost = COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, KEY_BYTES);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

function parseHash(hash: string) {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
  if (!match) return undefined;
  const [, ln, r, p, salt, key] = match;
  return {
    cost: { ln: Number(ln), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt!, "base64"),
    key: Buffer.from(key!, "base64"),
  };
}

/** Stands in for the hash of an account that does not exist, so that checking it costs the same. */
const NO_ACCOUNT = { cost: COST, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) };

/**
 * Whether `password` matches `hash`. Without a hash (no such account, or one without a password) it
 * does the same work and answers false: how long a login takes must not tell whether the name exists.
 * The comparison takes the same time wherever the first differing byte is (timingSafeEqual).
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  const stored = hash ? parseHash(hash) : undefined;
  const { cost, salt, key } = stored ?? NO_ACCOUNT;
  const candidate = await derive(password, salt, cost, key.length);
  return timingSafeEqual(candidate, key) && stored !== undefined;
}

/** A hash made with another cost than today's is replaced at the next successful login. */
const outdated = (hash: string) => {
  const cost = parseHash(hash)?.cost;
  return !cost || cost.ln !== COST.ln || cost.r !== COST.r || cost.p !== COST.p;
};

export interface Credentials {
  username: string;
  password: string;
}

/**
 * `username` and `password` from a form or a JSON body. Only their presence and type are checked
 * here: signing up applies the rules, logging in must not say which rule a wrong guess broke.
 */
export async function readCredentials(c: Context): Promise<Credentials> {
  const body = await readBody(c, {
    what: "the username and password",
    example: '{"username": "…", "password": "…"}',
  });
  return { username: textField(body, "username").toLowerCase(), password: textField(body, "password") };
}

/** One string field of a body; 400 when it is missing or anything but a single string. */
export function textField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined) throw new ApiError(400, `the field "${name}" is missing`);
  if (typeof value !== "string") throw new ApiError(400, `the field "${name}" must be a single string`);
  return value;
}

export function checkUsername(username: string) {
  if (!USERNAME.test(username)) {
    throw new ApiError(
      400,
      'the field "username" must be 3 to 32 characters: letters a-z, digits, ".", "_" or "-", ' +
        "starting with a letter or a digit",
    );
  }
}

export function checkNewPassword(password: string, field = "password") {
  const length = [...password].length;
  if (length < MIN_PASSWORD_CHARS || length > MAX_PASSWORD_CHARS) {
    throw new ApiError(
      400,
      `the field "${field}" has ${length} characters; use ${MIN_PASSWORD_CHARS} to ${MAX_PASSWORD_CHARS} ` +
        "(a passphrase of a few words is easy to remember and hard to guess)",
    );
  }
}

/** Signing up, logging in and changing a password, over the accounts in the store. */
export function createAccounts(users: UserStore) {
  return {
    /** The new account, or undefined when the username is taken (a 409). Throws 400 for bad input. */
    async signUp({ username, password }: Credentials): Promise<User | undefined> {
      checkUsername(username);
      checkNewPassword(password);
      return users.addUser(username, await hashPassword(password));
    },

    /**
     * The account, or undefined for a wrong password and for a username that does not exist alike:
     * the same answer, after the same work.
     */
    async logIn({ username, password }: Credentials): Promise<User | undefined> {
      const account = USERNAME.test(username) ? await users.findAccount(username) : undefined;
      if (!(await verifyPassword(account?.password_hash, password)) || !account) return undefined;
      if (outdated(account.password_hash!))
        await users.setPasswordHash(account.id, await hashPassword(password));
      return { id: account.id, username: account.username, created_at: account.created_at };
    },

    /** "changed", or "wrong" when `current` is not the account's password. Throws 400 for a bad new one. */
    async changePassword(user: { id: string; username: string }, current: string, next: string) {
      checkNewPassword(next, "new_password");
      const account = await users.findAccount(user.username);
      if (account?.id !== user.id || !(await verifyPassword(account.password_hash, current))) return "wrong";
      await users.setPasswordHash(user.id, await hashPassword(next));
      return "changed";
    },

    get: (id: string) => users.getUser(id),
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
