// Drives byline's search page in headless Chromium: type a query, see highlighted hits,
// filter by an outlet facet with a click, undo it from the keyboard; no console errors.
// Usage: node search_page.mjs URL   (run.sh starts a server on the seeds and passes its URL)
import { chromium } from "playwright-core";

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // Flags for a closed network: no background connections, no first-run work.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
let passed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log("e2e ok: " + what); } else { problems.push(what); console.log("e2e FAILED: " + what); }
}
try {
  const page = await browser.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push("console error: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  await page.goto(url);
  // The search box has focus on load: type and press Enter, as a person would.
  await page.keyboard.type("Iravani");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".hit").length > 0);
  const hits = await page.locator(".hit").count();
  check(hits === 4, `four articles for "Iravani" (saw ${hits})`);
  const marks = await page.locator(".hit mark").allTextContents();
  check(marks.length >= 4 && marks.every((m) => m === "Iravani"), `highlights cut "Iravani" (saw ${JSON.stringify(marks)})`);
  const status = await page.locator("#status").textContent();
  check(/^4 articles/.test(status), `status line (saw "${status}")`);
  // The language facet counts the four English articles.
  const english = await page.locator("ul[data-facet=language] button").allTextContents();
  check(english.length === 1 && english[0] === "en4", `language facet counts (saw ${JSON.stringify(english)})`);
  // Click an outlet facet: the list narrows to that outlet's one article.
  const ynet = page.locator("ul[data-facet=outlet] button", { hasText: "Ynetnews" });
  check((await ynet.textContent()).includes("1"), "outlet facet shows its count");
  await ynet.click();
  await page.waitForFunction(() => document.querySelectorAll(".hit").length === 1);
  const meta = await page.locator(".hit .meta").textContent();
  check(meta.includes("Ynetnews") && meta.includes("000_11313b6d5c106fd1"), `narrowed to Ynetnews (saw "${meta}")`);
  // Undo the filter from the keyboard: focus the pressed facet and press Space.
  await page.locator("ul[data-facet=outlet] button[aria-pressed=true]").focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelectorAll(".hit").length === 4);
  check(true, "keyboard toggles the facet back to four articles");
  // A variant spelling shows what matched.
  await page.locator("#q").fill("Araghchi");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".hit").length === 1 && document.querySelector(".how"));
  const how = await page.locator(".how").first().textContent();
  check(how.includes("Araghchi → Arghachi (fold)"), `explains the variant (saw "${how}")`);
  // Copies: one hit per story, "also in 2 outlets" opens to who ran it; unticking the box
  // shows every copy.
  await page.locator("#q").fill("Navalny prison");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".copies"));
  const stories = await page.locator(".hit").count();
  check(stories === 3, `three stories for "Navalny prison" (saw ${stories})`);
  const summary = page.locator(".copies summary");
  check((await summary.textContent()) === "also in 2 outlets", `also in 2 outlets (saw "${await summary.textContent()}")`);
  await summary.click();
  const ran = await page.locator(".copies li").allTextContents();
  check(ran.length === 2 && ran[0].startsWith("Agency Wire · 2024-02-16"), `who ran it, earliest first (saw ${JSON.stringify(ran)})`);
  const line = await page.locator("#status").textContent();
  check(/^5 articles \(3 stories\)/.test(line), `status counts stories (saw "${line}")`);
  await page.locator("#collapse").click();
  await page.waitForFunction(() => document.querySelectorAll(".hit").length === 5);
  check(true, "unticking 'one hit per story' shows all five articles");
  check(problems.filter((p) => p.startsWith("console") || p.startsWith("page")).length === 0, "no console errors");
} catch (e) {
  problems.push("exception: " + (e && e.message ? e.message : e));
} finally {
  await browser.close();
}
const failed = problems.length;
for (const p of problems) console.log("e2e problem: " + p);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
