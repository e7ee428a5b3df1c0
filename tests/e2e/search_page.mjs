// Drives byline's search page in headless Chromium as a reader would: search, read the
// highlights and what matched, pick facets (two outlets, a month bar, the unknown-date bar),
// chips and "Clear all", sort by newest, open an article and come back, Back and Forward
// through the URL, a hostile article shown as text, a 390-px screen, and a server behind
// an API key. No console errors. Screenshots of the main states go to SHOTS (not committed).
// Usage: node search_page.mjs URL KEYED_URL KEY   (run.sh starts both servers)
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [url, keyedUrl, key] = process.argv.slice(2);
const shots = process.env.SHOTS || "target/e2e-screenshots";
mkdirSync(shots, { recursive: true });
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
const hits = (page) => page.locator(".hit").count();
const waitHits = (page, n) => page.waitForFunction((n) => document.querySelectorAll(".hit").length === n
  && !/Searching/.test(document.getElementById("status").textContent), n);
const params = (page) => new URL(page.url()).searchParams;
async function search(page, q) {
  await page.locator("#q").fill(q);
  await page.keyboard.press("Enter");
  await page.waitForFunction((q) => new URL(location.href).searchParams.get("q") === q
    && !/Searching/.test(document.getElementById("status").textContent), q);
}
function watch(page) {
  page.on("console", (m) => { if (m.type() === "error") problems.push("console error: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  watch(page);
  await page.goto(url);
  // The search box has focus on load: type and press Enter, as a person would.
  check(await page.evaluate(() => document.activeElement.id) === "q", "the search box has focus on load");
  await page.keyboard.type("Iravani");
  await page.keyboard.press("Enter");
  await waitHits(page, 4);
  check(params(page).get("q") === "Iravani", `the search is in the URL (${page.url()})`);
  const marks = await page.locator(".hit mark").allTextContents();
  check(marks.length >= 4 && marks.every((m) => m === "Iravani"), `highlights cut "Iravani" (saw ${JSON.stringify(marks)})`);
  const status = await page.locator("#status").textContent();
  check(/^4 articles in \d+ ms$/.test(status), `"N articles in X ms" (saw "${status}")`);
  const heads = await page.locator(".hit h3").allTextContents();
  check(heads.every((h) => h.length > 20 && !/^\d{3}_[0-9a-f]{16}$/.test(h)), `headlines are titles or first sentences, never ids (saw ${JSON.stringify(heads)})`);
  const english = await page.locator("ul[data-facet=lang] button").allTextContents();
  check(english.length === 1 && english[0] === "English4", `language facet counts (saw ${JSON.stringify(english)})`);
  await page.screenshot({ path: `${shots}/1-search.png`, fullPage: true });
  // Click an outlet: the list narrows to that outlet's article, the other outlets stay
  // offered, and the facet toggles back from the keyboard.
  await page.locator("ul[data-facet=outlet] button", { hasText: "Ynetnews" }).click();
  await waitHits(page, 1);
  const meta = await page.locator(".hit .meta").textContent();
  check(meta.includes("Ynetnews"), `narrowed to Ynetnews (saw "${meta}")`);
  const offered = await page.locator("ul[data-facet=outlet] button").count();
  check(offered >= 3, `the other outlets stay offered after picking one (saw ${offered})`);
  await page.locator("ul[data-facet=outlet] button[aria-pressed=true]").focus();
  await page.keyboard.press("Space");
  await waitHits(page, 4);
  check(true, "the keyboard toggles the facet back to four articles");
  // A variant spelling says what matched, in words.
  await search(page, "Araghchi");
  await waitHits(page, 1);
  const how = await page.locator(".how").first().textContent();
  check(how.includes("Araghchi → Arghachi, spelling variant"), `explains the variant (saw "${how}")`);

  // Facets on dated articles from four outlets (tests/e2e/articles).
  await search(page, "ceasefire");
  await waitHits(page, 4);
  await page.locator("ul[data-facet=outlet] button", { hasText: "Alpha Post" }).click();
  await waitHits(page, 1);
  await page.locator("ul[data-facet=outlet] button", { hasText: "Beta Daily" }).click();
  await waitHits(page, 2);
  check(JSON.stringify(params(page).getAll("outlet")) === '["Alpha Post","Beta Daily"]', `two outlets at once, in the URL (${page.url()})`);
  const chips = await page.locator("#chips .chip").allTextContents();
  check(chips.length === 2 && chips[0] === "Outlet: Alpha Post ×", `a chip for each (saw ${JSON.stringify(chips)})`);
  await page.screenshot({ path: `${shots}/2-two-outlets.png`, fullPage: true });
  await page.locator("#clear").click();
  await waitHits(page, 4);
  check(await page.locator("#chips .chip").count() === 0 && params(page).getAll("outlet").length === 0, "Clear all removes every filter");
  const bars = await page.locator(".histogram button").evaluateAll((bs) => bs.map((b) => b.dataset.value));
  check(JSON.stringify(bars) === '["2024-08","2024-09","2024-11","unknown"]', `month bars and the unknown bar (saw ${JSON.stringify(bars)})`);
  await page.locator('.histogram button[data-value="2024-09"]').click();
  await waitHits(page, 1);
  const sept = await page.locator(".hit .meta").textContent();
  check(sept.includes("2024-09-15") && params(page).get("date") === "2024-09", `a month bar narrows to its month (saw "${sept}")`);
  await page.locator('.histogram button[data-value="2024-09"]').click();
  await waitHits(page, 4);
  await page.locator('.histogram button[data-value="unknown"]').click();
  await waitHits(page, 1);
  const undated = await page.locator(".hit .meta").textContent();
  check(undated.includes("date unknown") && undated.includes("Delta Wire"), `the unknown bar keeps the undated article (saw "${undated}")`);
  // Back and Forward walk the URL history.
  await page.goBack();
  await waitHits(page, 4);
  check(params(page).get("date") === null, `Back: no date filter (${page.url()})`);
  await page.goBack();
  await waitHits(page, 1);
  check(params(page).get("date") === "2024-09", `Back again: September (${page.url()})`);
  await page.goForward();
  await page.goForward();
  await waitHits(page, 1);
  check(params(page).get("date") === "unknown", `Forward twice: undated (${page.url()})`);
  await page.reload();
  await waitHits(page, 1);
  check((await page.locator(".hit .meta").textContent()).includes("Delta Wire"), "a reload shows the same view");
  await page.locator("#clear").click();
  await waitHits(page, 4);
  // Newest first.
  await page.locator("#sort").selectOption("newest");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("sort") === "newest");
  await waitHits(page, 4);
  const dates = await page.locator(".hit .meta").allTextContents();
  check(dates[0].includes("2024-11-20") && dates[1].includes("2024-09-15") && dates[2].includes("2024-08-10"), `sorted newest first (saw ${JSON.stringify(dates)})`);
  // An article view: its own URL, every match marked, furniture shown as removed.
  await page.locator(".hit h3 a", { hasText: "Ceasefire talks open in Doha" }).click();
  await page.waitForSelector("#article .text mark");
  check(params(page).get("article") === "e2e-alpha", `the article has its own URL (${page.url()})`);
  const inText = await page.locator("#article .text mark").allTextContents();
  check(inText.length === 2 && inText.every((m) => /^ceasefire$/i.test(m)), `every match marked in the text (saw ${JSON.stringify(inText)})`);
  const removed = await page.locator("#article .furniture").allTextContents();
  check(removed.length === 1 && removed[0] === "Read more", `furniture shown as removed (saw ${JSON.stringify(removed)})`);
  const link = page.locator("#article dl a");
  check(await link.getAttribute("href") === "https://alphapost.example/world/ceasefire-talks" && await link.getAttribute("rel") === "noopener noreferrer",
    "the source link has its scheme and opens without handing over the page");
  await page.screenshot({ path: `${shots}/3-article.png`, fullPage: true });
  await page.goBack();
  await waitHits(page, 4);
  check(params(page).get("article") === null && params(page).get("sort") === "newest", "Back returns to the sorted results");

  // Hostile text is text.
  await search(page, "payload");
  await waitHits(page, 1);
  const head = await page.locator(".hit h3").textContent();
  check(head.includes("<script>window.pwned=1</script>") && head.includes("onerror="), `a hostile headline shows as text (saw "${head}")`);
  check(await page.locator(".hit script, .hit img").count() === 0, "no element is made from article text");
  check(await page.locator(".hit .meta a").count() === 0, "a javascript: address is not linked");
  await page.locator(".hit h3 a").click();
  await page.waitForSelector("#article .text mark");
  const body = await page.locator("#article .text").textContent();
  check(body.includes('<img src=x onerror="window.pwned=4">'), "the hostile text shows as text in the article view");
  check(await page.evaluate(() => window.pwned === undefined), "no script from an article ran");
  await page.screenshot({ path: `${shots}/4-hostile.png`, fullPage: true });

  // A phone: no sideways scroll, results at least 300 px wide, filters folded away.
  const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
  watch(phone);
  await phone.goto(url + "?q=ceasefire");
  await waitHits(phone, 4);
  const size = await phone.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, view: window.innerWidth,
    results: document.getElementById("results").getBoundingClientRect().width,
    open: document.getElementById("filters").open,
  }));
  check(size.scroll === size.view && size.results >= 300 && !size.open, `390 px: no sideways scroll, results ${size.results} px wide (saw ${JSON.stringify(size)})`);
  await phone.screenshot({ path: `${shots}/5-phone.png`, fullPage: true });

  // Copies: one hit per story, "also in 2 outlets" opens to who ran it.
  await search(page, "Navalny prison");
  await waitHits(page, 3);
  const summary = page.locator(".copies summary");
  check((await summary.textContent()) === "also in 2 outlets", `also in 2 outlets (saw "${await summary.textContent()}")`);
  await summary.click();
  const ran = await page.locator(".copies li").allTextContents();
  check(ran.length === 2 && ran[0].startsWith("Agency Wire · 2024-02-16"), `who ran it, earliest first (saw ${JSON.stringify(ran)})`);
  const line = await page.locator("#status").textContent();
  check(/^5 articles \(3 stories\)/.test(line), `status counts stories (saw "${line}")`);
  await page.locator("#collapse").click();
  await waitHits(page, 5);
  check(true, "unticking 'one hit per story' shows all five articles");

  // Behind an API key: the page loads, asks for the key once, sends it as a header only.
  const keyed = await browser.newPage();
  watch(keyed);
  const asked = [];
  keyed.on("request", (r) => asked.push(r.url()));
  const first = await keyed.goto(keyedUrl);
  check(first.status() === 200, `the page loads without a key (status ${first.status()})`);
  await keyed.waitForSelector("#keyform:not([hidden])");
  check(await keyed.evaluate(() => document.activeElement.id) === "key", "the page asks for the key first");
  await keyed.keyboard.type(key);
  await keyed.keyboard.press("Enter");
  await keyed.locator("#q").fill("Iravani");
  await keyed.keyboard.press("Enter");
  await waitHits(keyed, 4);
  check(true, "with the key typed, searches answer");
  await keyed.locator(".hit h3 a").first().click();
  await keyed.waitForSelector("#article .text");
  const stored = await keyed.evaluate(() => sessionStorage.getItem("byline-api-key"));
  check(stored === key && asked.length > 2 && asked.every((u) => !u.includes(key)), `the key is kept for the tab and is in no URL (${asked.length} requests)`);
  await keyed.screenshot({ path: `${shots}/6-keyed.png`, fullPage: true });
  check(problems.filter((p) => p.startsWith("console") || p.startsWith("page")).length === 0, "no console errors");
} catch (e) {
  problems.push("exception: " + (e && e.message ? e.message : e));
} finally {
  await browser.close();
}
const failed = problems.length;
for (const p of problems) console.log("e2e problem: " + p);
console.log(`e2e: ${passed} passed, ${failed} failed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
