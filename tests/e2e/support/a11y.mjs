// Accessibility checks: axe-core through @axe-core/playwright, no sideways scrolling on small
// screens, and the focus checks of keyboard journeys (a visible indicator, Tab order).
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

/** The rule sets every page and dialog is held to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/** The impacts that fail a test; the others are printed but tolerated. */
export const FAILING_IMPACTS = ['serious', 'critical'];

/** The viewports of the layer: a small phone and a laptop. */
export const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];

/** One violation and its nodes as text: what to fix, where. */
export function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const why = (n.failureSummary ?? '').split('\n').map((l) => `        ${l.trim()}`).join('\n');
      return `    - ${n.target.join(' ')}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 300)}\n${why}`;
    }).join('\n');
    return `[${v.impact}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
  }).join('\n\n');
}

/**
 * Runs axe on `page` (or only on the elements `include` selects, e.g. an open dialog) and
 * fails on any serious or critical violation; every violation is printed with its nodes.
 * Returns all the violations.
 */
export async function assertAccessible(page, where, { include } = {}) {
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const failing = violations.filter((v) => FAILING_IMPACTS.includes(v.impact));
  if (violations.length) console.log(`axe on ${where}:\n${describeViolations(violations)}\n`);
  assert.equal(failing.length, 0,
    `${failing.length} serious/critical axe violation(s) on ${where}:\n\n${describeViolations(failing)}`);
  return violations;
}

/** The page must not scroll sideways (checked at 360 px); an open dialog must fit the width. */
export async function assertNoHorizontalScroll(page, where) {
  const m = await page.evaluate(() => {
    const doc = document.documentElement;
    const describe = (el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}>`;
    // The outermost elements whose right edge passes `limit`.
    const pastEdge = (root, limit) => [...root.querySelectorAll('*')]
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > limit + 1; })
      .filter((el, _, all) => !all.some((o) => o !== el && o.contains(el)))
      .slice(0, 5)
      .map((el) => `${describe(el)} right=${Math.round(el.getBoundingClientRect().right)} width=${Math.round(el.getBoundingClientRect().width)}`);
    const dialog = document.querySelector('dialog[open]');
    const box = dialog?.getBoundingClientRect();
    const inner = dialog ? box.left + dialog.clientLeft + dialog.clientWidth - parseFloat(getComputedStyle(dialog).paddingRight) : 0;
    return {
      scrollWidth: doc.scrollWidth,
      innerWidth,
      wide: pastEdge(document.body, innerWidth),
      dialogRight: dialog ? Math.round(box.right) : null,
      dialogOverflow: dialog ? dialog.scrollWidth - dialog.clientWidth : 0,
      dialogWide: dialog ? pastEdge(dialog, inner) : [],
      // What widens it: the descendants whose narrowest layout (min-content) is wider than
      // the dialog's content box.
      dialogCulprits: dialog ? [...dialog.querySelectorAll('*')].filter((el) => getComputedStyle(el).display !== 'inline').map((el) => {
        const saved = el.style.cssText;
        el.style.width = 'min-content';
        const w = el.getBoundingClientRect().width;
        el.style.cssText = saved;
        return { el, w };
      }).filter(({ w }) => w > inner - box.left - dialog.clientLeft - parseFloat(getComputedStyle(dialog).paddingLeft) + 1)
        .filter(({ el }, _, all) => !all.some((o) => o.el !== el && el.contains(o.el)))
        .slice(0, 5).map(({ el, w }) => `${describe(el)} min-content ${Math.round(w)} px`) : [],
      dialogContent: dialog ? Math.round(inner - box.left - dialog.clientLeft - parseFloat(getComputedStyle(dialog).paddingLeft)) : 0,
    };
  });
  assert.ok(m.scrollWidth <= m.innerWidth,
    `${where} scrolls sideways at ${m.innerWidth} px: scrollWidth ${m.scrollWidth}; wider than the viewport: ${m.wide.join(', ') || '(none found)'}`);
  if (m.dialogRight !== null) {
    assert.ok(m.dialogRight <= m.innerWidth && m.dialogOverflow <= 0,
      `the dialog of ${where} does not fit ${m.innerWidth} px: right edge ${m.dialogRight}, its content overflows it by ${m.dialogOverflow} px; past its content box: ${m.dialogWide.join(', ') || '(none found)'}; wider than its ${m.dialogContent} px content box at their narrowest: ${m.dialogCulprits.join(', ') || '(none found)'}`);
  }
}

/**
 * The focused element, described (`<button> "Open"`), and whether a focus indicator shows on
 * it: an outline (not `none`, wider than 0) or a box-shadow — on the element itself, or on
 * the label that wraps a focused checkbox or radio (the segmented controls draw it there).
 */
export function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { element: '(nothing: the body)', visible: false, body: true };
    }
    const shows = (node) => {
      const s = getComputedStyle(node);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow && s.boxShadow !== 'none';
      return outline || shadow ? `${outline ? `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : `box-shadow ${s.boxShadow}`}` : null;
    };
    let how = shows(el);
    if (!how && el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label');
      how = label && shows(label) ? `on its label: ${shows(label)}` : null;
    }
    const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.getAttribute('placeholder') || '';
    const tag = el.tagName.toLowerCase() + (el.type && el.tagName !== 'BUTTON' ? `[type=${el.type}]` : '');
    return { element: `<${tag}> "${name.trim().replace(/\s+/g, ' ').slice(0, 60)}"`, visible: Boolean(how), how, body: false };
  });
}

/** Fails unless the focused element shows a focus indicator. */
export async function assertFocusVisible(page, where) {
  const state = await focusState(page);
  assert.ok(state.visible, `no visible focus indicator on ${state.element} (${where})`);
  return state;
}

/**
 * Presses `key` (Tab or Shift+Tab) until `locator`'s element has focus, checking the focus
 * indicator at every stop; fails after `max` presses, listing the stops it made.
 */
export async function tabTo(page, locator, { key = 'Tab', max = 60, what } = {}) {
  const target = await locator.elementHandle();
  const label = what ?? String(locator);
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const state = await focusState(page);
    stops.push(state.element);
    if (!state.body) assert.ok(state.visible, `no visible focus indicator on ${state.element} (tabbing to ${label})`);
    if (await target.evaluate((el) => el === document.activeElement)) return stops;
  }
  assert.fail(`${key} never reached ${label} in ${max} presses; stops: ${stops.join(' → ')}`);
}

/** Whether `locator`'s element is the focused one. */
export function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}
