// Opens each HTML file named on the command line in Debian's chromium (through playwright-core,
// no browser download), runs axe-core on it, and prints every violation of every impact,
// moderate and minor included, as JSON: {"file": [{"id", "impact", "nodes"}]}.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const found = {};
try {
  for (const file of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ content: axeSource });
    found[file] = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.html),
      })));
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(found));
