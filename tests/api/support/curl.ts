// Just enough of a POSIX shell and of curl to run the examples in docs/API.md against the route
// handlers: quoting ('...', "...", adjacent pieces), $VAR expansion, line continuations, `export`,
// `NAME=$(curl ... | jq -r '<path>')`, and the curl options the docs use. Anything else is an
// error, so the docs cannot use syntax this runner would silently misread.

export type ShellCommand =
  | { kind: "export"; name: string; value: string }
  | { kind: "run"; capture: string | null; curl: string[]; jq: string | null; expectStatus: number | null };

type Word = { text: string; raw: string };

/** Splits a line into words, expanding variables; stops at an unquoted "#" comment. */
export function shellWords(line: string, vars: Record<string, string>): Word[] {
  const words: Word[] = [];
  let current = "";
  let raw = "";
  let inWord = false;
  let i = 0;
  const expand = (from: number): [string, number] => {
    const braced = line[from + 1] === "{";
    const match = (braced ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/ : /^\$([A-Za-z_][A-Za-z0-9_]*)/).exec(line.slice(from));
    if (!match) throw new Error(`unsupported $ expression in: ${line}`);
    const name = match[1]!;
    if (!(name in vars)) throw new Error(`variable $${name} is used before it is set`);
    return [vars[name]!, from + match[0].length];
  };
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push({ text: current, raw });
      current = "";
      raw = "";
      inWord = false;
      i++;
      continue;
    }
    if (c === "#" && !inWord) break;
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      current += line.slice(i + 1, end);
      raw += line.slice(i, end + 1);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && /["\\$`]/.test(line[j + 1] ?? "")) {
          current += line[++j];
        } else if (line[j] === "$") {
          const [value, next] = expand(j);
          current += value;
          j = next - 1;
        } else if (line[j] === "`") throw new Error(`backticks are not supported: ${line}`);
        else current += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      raw += line.slice(i, j + 1);
      i = j + 1;
    } else if (c === "$") {
      const [value, next] = expand(i);
      current += value;
      raw += line.slice(i, next);
      i = next;
    } else if (c === "\\") {
      current += line[i + 1] ?? "";
      raw += line.slice(i, i + 2);
      i += 2;
    } else {
      current += c;
      raw += c;
      i++;
    }
  }
  if (inWord) words.push({ text: current, raw });
  return words;
}

/** Logical lines of a shell block: continuations joined, blank lines dropped. */
export function logicalLines(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Parses one logical line (variables expanded with the values known at that point). */
export function parseLine(line: string, vars: Record<string, string>): ShellCommand | { kind: "status"; status: number } | null {
  const status = /^#\s*=>\s*(\d{3})\s*$/.exec(line);
  if (status) return { kind: "status", status: Number(status[1]) };
  if (line.startsWith("#")) return null;
  const exported = /^export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
  if (exported) {
    const [value] = shellWords(exported[2]!, vars);
    return { kind: "export", name: exported[1]!, value: value?.text ?? "" };
  }
  let capture: string | null = null;
  let pipeline = line;
  const captured = /^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$/.exec(line);
  if (captured) {
    capture = captured[1]!;
    pipeline = captured[2]!;
  }
  // Split the pipeline on unquoted "|" (the words keep their raw text for that).
  const stages: string[][] = [[]];
  for (const word of shellWords(pipeline, vars)) {
    if (word.raw === "|") stages.push([]);
    else stages.at(-1)!.push(word.text);
  }
  const [curl, jq, ...rest] = stages;
  if (!curl || curl[0] !== "curl") throw new Error(`only curl commands are supported in docs examples: ${line}`);
  if (rest.length) throw new Error(`at most one pipe (into jq) is supported: ${line}`);
  let jqPath: string | null = null;
  if (jq) {
    if (jq[0] !== "jq" || jq[1] !== "-r" || jq.length !== 3) throw new Error(`only "jq -r '<path>'" is supported: ${line}`);
    jqPath = jq[2]!;
  }
  return { kind: "run", capture, curl: curl.slice(1), jq: jqPath, expectStatus: null };
}

export type CurlRequest = { method: string; url: string; headers: Record<string, string>; data: string | null; form: Array<[string, string]> };

const FLAGS = new Set(["-s", "-S", "-sS", "-Ss", "--silent", "--show-error", "-f", "--fail", "-i", "--include", "-L", "--location"]);

/** curl's arguments as a request description. */
export function parseCurl(args: string[]): CurlRequest {
  const request: CurlRequest = { method: "", url: "", headers: {}, data: null, form: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`curl ${arg} needs a value`);
      return next;
    };
    if (FLAGS.has(arg)) continue;
    if (arg === "-X" || arg === "--request") request.method = value();
    else if (arg === "-H" || arg === "--header") {
      const header = value();
      const colon = header.indexOf(":");
      if (colon < 1) throw new Error(`curl header must be "Name: value": ${header}`);
      request.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (arg === "-d" || arg === "--data" || arg === "--data-raw") request.data = (request.data ? `${request.data}&` : "") + value();
    else if (arg === "-F" || arg === "--form") {
      const field = value();
      const eq = field.indexOf("=");
      if (eq < 1) throw new Error(`curl -F must be name=value or name=@file: ${field}`);
      request.form.push([field.slice(0, eq), field.slice(eq + 1)]);
    } else if (arg.startsWith("-")) throw new Error(`the docs test does not understand curl option ${arg}; add it to tests/api/support/curl.ts`);
    else if (request.url) throw new Error(`curl got two URLs: ${request.url} and ${arg}`);
    else request.url = arg;
  }
  if (!request.url) throw new Error("curl without a URL");
  // curl's defaults: -d and -F imply POST; -d implies a form content type unless one is given.
  request.method ||= request.data !== null || request.form.length ? "POST" : "GET";
  if (request.data !== null && !Object.keys(request.headers).some((h) => h.toLowerCase() === "content-type")) {
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  return request;
}

/** `jq -r` for simple paths: .a.b, .a[0].b */
export function jqRaw(value: unknown, path: string): string {
  if (!path.startsWith(".")) throw new Error(`unsupported jq path ${path}`);
  let node: unknown = value;
  for (const token of path.slice(1).match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (node === null || node === undefined) break;
    node = token.startsWith("[") ? (node as unknown[])[Number(token.slice(1, -1))] : (node as Record<string, unknown>)[token];
  }
  if (node === undefined || node === null) return "null";
  return typeof node === "string" ? node : JSON.stringify(node);
}
