// Compile the front end from the npm packages into var/assets (git-ignored, a STATICFILES_DIRS entry).
// GOV.UK Frontend is compiled with Arial; MOJ Frontend's precompiled CSS gets the same font stack and
// its /assets/ URLs pointed at Django's /static/assets/.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = process.env.ASSETS_DIR || join(root, "var", "assets");
const modules = join(root, "node_modules");
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });
mkdirSync(join(out, "test"), { recursive: true });

execFileSync(join(modules, ".bin", "sass"), [
  `--load-path=${modules}`, "--style=compressed", "--no-source-map", "--quiet-deps", "--quiet",
  join(root, "config", "assets", "app.scss"), join(out, "css", "app.css"),
], { stdio: "inherit" });

const moj = readFileSync(join(modules, "@ministryofjustice/frontend/moj/moj-frontend.min.css"), "utf8")
  .replaceAll("GDS Transport,", "")
  .replaceAll("url(/assets/", "url(/static/assets/")
  // The map file is not shipped; a dangling reference breaks collectstatic's manifest step.
  .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");
writeFileSync(join(out, "css", "moj.css"), moj);

// Source maps are not shipped: drop their references so collectstatic's manifest step finds every file.
const withoutMap = (file) => readFileSync(file, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
writeFileSync(join(out, "js", "govuk-frontend.min.js"),
  withoutMap(join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js")));
writeFileSync(join(out, "js", "moj-frontend.min.js"),
  withoutMap(join(modules, "@ministryofjustice/frontend/moj/moj-frontend.min.js")));
cpSync(join(modules, "govuk-frontend/dist/govuk/assets"), join(out, "assets"), { recursive: true });
cpSync(join(modules, "@ministryofjustice/frontend/moj/assets"), join(out, "assets"), { recursive: true });
cpSync(join(modules, "axe-core/axe.min.js"), join(out, "test", "axe.min.js"));
console.log(`Front-end assets built in ${out}`);
