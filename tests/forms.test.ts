// Every form says how it is sent. A form handled by script falls back to the browser's own submit when
// pressed before the page's script runs (a slow phone network): without method="post" that is a GET, and
// a password, an SMS code, a phone number or an address would travel in the URL — into access logs and
// browser history. Only the search and filter forms, which carry nothing personal, are sent by GET.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const GET_FORMS = new Set(["components/SearchBox.tsx", "components/merchant/FilterBar.tsx", "app/merchant/kpi/KpiClient.tsx", "app/merchant/stock/StockClient.tsx"]);

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".tsx"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Each `<form …>` opening tag of a file (attributes may hold `{…}` with `>` inside). */
function formTags(text: string): string[] {
  const tags: string[] = [];
  for (let i = text.indexOf("<form"); i >= 0; i = text.indexOf("<form", i + 1)) {
    if (/[\w-]/.test(text[i + 5] ?? "")) continue; // <formula…>, not a form
    let depth = 0;
    let k = i;
    for (; k < text.length; k++) {
      if (text[k] === "{") depth++;
      else if (text[k] === "}") depth--;
      else if (text[k] === ">" && depth === 0) break;
    }
    tags.push(text.slice(i, k + 1));
  }
  return tags;
}

describe("forms", () => {
  const forms = [...sources("app"), ...sources("components")].flatMap((file) => formTags(readFileSync(path.join(ROOT, file), "utf8")).map((tag) => ({ file, tag })));

  it("finds the app's forms", () => {
    expect(forms.length).toBeGreaterThan(20);
    expect(forms.some((f) => f.file === "app/merchant/login/StaffLoginForm.tsx")).toBe(true);
  });

  it("every form is a server action or declares its method; only search and filters use GET", () => {
    for (const { file, tag } of forms) {
      const serverAction = /\saction=\{/.test(tag);
      const method = /\smethod="(post|get)"/.exec(tag)?.[1];
      expect(serverAction || method !== undefined, `${file}: ${tag.slice(0, 80)}`).toBe(true);
      if (method === "get") expect(GET_FORMS.has(file), `${file} sends its form by GET`).toBe(true);
    }
  });
});
