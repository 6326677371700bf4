// The app's admin UI extensions, as the simulated admin shows them: found from the app's
// `extensions/*/shopify.extension.toml` (what `shopify app build` builds) and run from the bundle
// the CLI wrote (`extensions/<dir>/dist/<handle>.js`). ADR 0081.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface AppExtension {
  /** The extension's handle (unique in the app). */
  handle: string;
  /** Its name: the label Shopify shows in the More actions menu. */
  name: string;
  /** The extension target, e.g. "admin.product-index.selection-action.render". */
  target: string;
  apiVersion: string;
  /** The built script (absolute path); read on every open, so a rebuild shows at once. */
  bundlePath: string;
}

/** Targets the simulated admin can place (products list bulk action, product details action). */
export const SUPPORTED_TARGETS = ["admin.product-index.selection-action.render", "admin.product-details.action.render"] as const;

/**
 * Reads the few keys the simulator needs from a shopify.extension.toml: top-level `api_version`,
 * and per `[[extensions]]` its `name`, `handle`, `type` and the `target` of each
 * `[[extensions.targeting]]`. A deliberately small reader (string values, one per line), not TOML.
 */
export function readExtensionToml(source: string): Array<{ name: string; handle: string; type: string; apiVersion: string; targets: string[] }> {
  const found: Array<{ name: string; handle: string; type: string; apiVersion: string; targets: string[] }> = [];
  let apiVersion = "";
  let section = "";
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    const header = /^\[\[?\s*([\w.]+)\s*\]\]?$/.exec(line);
    if (header) {
      section = header[1] ?? "";
      if (section === "extensions") found.push({ name: "", handle: "", type: "", apiVersion, targets: [] });
      continue;
    }
    const pair = /^([\w-]+)\s*=\s*"((?:[^"\\]|\\.)*)"$/.exec(line);
    if (!pair) continue;
    const [, key, value = ""] = pair;
    const current = found[found.length - 1];
    if (section === "" && key === "api_version") apiVersion = value;
    else if (section === "extensions" && current && (key === "name" || key === "handle" || key === "type")) current[key] = value;
    else if (section === "extensions.targeting" && current && key === "target") current.targets.push(value);
  }
  return found.map((extension) => ({ ...extension, apiVersion: extension.apiVersion || apiVersion }));
}

/**
 * The app's built UI extensions with a target the simulated admin places. An extension whose
 * bundle is missing (not built yet) is left out and named in `missing`.
 */
export function loadAppExtensions(appRoot: string): { extensions: AppExtension[]; missing: string[] } {
  const root = path.join(appRoot, "extensions");
  const extensions: AppExtension[] = [];
  const missing: string[] = [];
  if (!existsSync(root)) return { extensions, missing };
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    const toml = path.join(root, dir.name, "shopify.extension.toml");
    if (!dir.isDirectory() || !existsSync(toml)) continue;
    for (const extension of readExtensionToml(readFileSync(toml, "utf8"))) {
      if (extension.type !== "ui_extension") continue;
      const bundlePath = path.join(root, dir.name, "dist", `${extension.handle}.js`);
      if (!existsSync(bundlePath)) {
        missing.push(extension.handle);
        continue;
      }
      for (const target of extension.targets) {
        if ((SUPPORTED_TARGETS as readonly string[]).includes(target)) {
          extensions.push({ handle: extension.handle, name: extension.name, target, apiVersion: extension.apiVersion, bundlePath });
        }
      }
    }
  }
  return { extensions, missing };
}
