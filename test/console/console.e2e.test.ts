import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../support/test-database.js';
import { testServices } from '../support/services-env.js';
import { postGraphQL, startTestNode, type TestNode } from '../support/test-node.js';

/**
 * The console in Debian's Chromium against a real node: an operator signs in and watches the live log while an
 * applicant completes a session on the applicant page (file uploads of the README's sample passport and selfie); the
 * tile arrives without a reload, the operator opens it and sees the MRZ check digits. Every main page passes axe
 * (no serious or critical violation) and the console's CSP (no refusal in the browser's console), and is captured at
 * laptop and phone size under test/artifacts/.
 */

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(root, 'test', 'artifacts');
const VIEWPORTS = { laptop: { width: 1366, height: 850 }, phone: { width: 390, height: 844 } } as const;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (testServices.required) throw new Error(`${CHROMIUM} is not installed but IDGRAPH_REQUIRE_SERVICES=1: the console browser tests cannot run`);
  console.warn(`[skip] console in a browser: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

describe.runIf(hasChromium).each(testDrivers('console in a browser'))('the console in Chromium on %s', (driver) => {
  let node: TestNode;
  let browser: Browser;
  let base: string;
  const refusals: string[] = [];

  beforeAll(async () => {
    const bus: Record<string, string> = driver === 'postgresql' && testServices.redisUrl ? { REDIS_URL: testServices.redisUrl } : {};
    node = await startTestNode(driver, { IDGRAPH_INFERENCE_WORKERS: '1', ...bus });
    base = node.url.replace(/\/graphql$/, '');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.dispose();
  });

  async function open(viewport: keyof typeof VIEWPORTS): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
    });
    page.on('pageerror', (error) => refusals.push(`page error: ${error.message}`));
    return { context, page };
  }

  /** axe on the page as shown; then a screenshot at both sizes. */
  async function check(page: Page, name: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([]);
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: join(ARTIFACTS, `console-${name}-${size}-${driver}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.laptop);
  }

  it('an operator watches a session arrive live while the applicant completes it, then opens it and sees the MRZ checks', async () => {
    const demo = node.demo!;
    const { page: operator } = await open('laptop');
    await operator.goto(`${base}/console/`);
    await operator.getByRole('heading', { name: 'Sign in to idgraph' }).waitFor();
    await check(operator, 'login');
    await operator.getByLabel('Tenant').fill('wrong-tenant');
    await operator.getByLabel('Email').fill(demo.owner.email);
    await operator.locator('input[type=password]').fill(demo.ownerPassword);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => operator.getByRole('alert').textContent()).toContain('Wrong tenant, email or password.');
    await operator.getByLabel('Tenant').fill('demo');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('heading', { name: 'Live log' }).waitFor();
    // The counter, with any alert the page shows (its message names what failed).
    const today = async () => [await operator.getByTestId('today-SUCCESS').textContent(), ...(await operator.getByRole('alert').allTextContents())].join(' | ');
    await expect.poll(today, { timeout: 30_000 }).toBe('Success: 0');

    // The partner opens a session in "Document and selfie"; the applicant is sent to the applicant page.
    const partner = { authorization: `Bearer ${demo.token.secret}` };
    const scenarios = await postGraphQL(node.url, { query: '{ scenarios { id name } }' }, partner);
    const scenarioId = scenarios.body.data.scenarios.find((s: { name: string }) => s.name === 'Document and selfie').id;
    const created = await postGraphQL(node.url, {
      query: 'mutation($s: ID!) { createSession(input: { scenarioId: $s, externalUserId: "customer-e2e" }) { applicantToken session { id } } }',
      variables: { s: scenarioId },
    }, partner);
    const { applicantToken, session } = created.body.data.createSession;
    const tile = operator.locator(`[data-session-id="${session.id}"]`);
    await tile.waitFor();
    await check(operator, 'live-log');

    const { page: applicant } = await open('phone');
    await applicant.goto(`${base}/console/apply/${session.id}#${applicantToken}`);
    await applicant.getByText('Photograph your identity document').waitFor();
    await check(applicant, 'applicant');
    await applicant.locator('input[type=file]').setInputFiles(join(root, 'samples', 'passport.jpg'));
    await applicant.getByText('Take a photo of your face').waitFor({ timeout: 120_000 });
    await applicant.locator('input[type=file]').setInputFiles(join(root, 'samples', 'selfie.jpg'));
    await applicant.getByText('Thank you: your identity is verified.').waitFor({ timeout: 120_000 });
    await check(applicant, 'applicant-result');

    // The live log shows the decision without a reload, and its counter follows.
    await expect.poll(() => tile.textContent(), { timeout: 30_000 }).toContain('Success');
    await expect.poll(today, { timeout: 30_000 }).toBe('Success: 1');
    expect(await tile.textContent()).toContain('customer-e2e');

    await tile.getByRole('link').click();
    await operator.getByRole('heading', { name: /Session/ }).first().waitFor();
    const checks = operator.getByRole('table', { name: 'MRZ check digits' });
    await checks.waitFor();
    const rows = await checks.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((row) => row.endsWith('valid'))).toBe(true);
    expect(await operator.getByRole('table', { name: 'Fields read from the document' }).textContent()).toContain('ERIKSSON');
    await check(operator, 'session-detail');

    await operator.getByRole('link', { name: 'Awaiting action' }).click();
    await operator.getByRole('heading', { name: 'Awaiting action' }).waitFor();
    await operator.getByText('Nothing awaits review.').waitFor();
    await check(operator, 'review-queue');

    await operator.getByRole('button', { name: 'Sign out' }).click();
    await operator.getByRole('heading', { name: 'Sign in to idgraph' }).waitFor();
    expect(refusals).toEqual([]);
  }, 300_000);
});
