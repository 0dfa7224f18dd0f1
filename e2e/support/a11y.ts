/**
 * Accessibility scan with axe-core through @axe-core/playwright's AxeBuilder. It injects axe with
 * page.evaluate (the DevTools protocol), not a <script> tag, so the app's strict CSP stays on.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Serious and critical violations on the page as it is now (WCAG 2.x A/AA rules and best practice). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target as unknown[], ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
    }));
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => JSON.stringify(n.target)).join('\n  ')}`).join('\n');
}
