import fc from 'fast-check';
import postcss, { type Declaration } from 'postcss';
import { describe, expect, test } from 'vitest';
import { renderThemeCss, resolveTheme, type ThemeTokens } from '../../src/theme/index.ts';

// Pieces a hostile tenant would try, mixed with the characters of honest values.
const HOSTILE = [';', '{', '}', '"', "'", '\\', '/*', '*/', 'url(', ')', '(', ',', ' ', '<', '>', '\n', '@import', '!important', 'expression(', '--', ':'];
const piece = fc.oneof(fc.constantFrom(...HOSTILE), fc.stringMatching(/^[A-Za-z0-9 -]{1,8}$/), fc.string({ maxLength: 4 }));
const hostileText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
const honestFamily = fc.oneof(fc.stringMatching(/^-?[A-Za-z][A-Za-z0-9-]{0,10}$/), fc.stringMatching(/^'[A-Za-z0-9][A-Za-z0-9 -]{0,10}'$/));
const honestStack = fc.array(honestFamily, { minLength: 1, maxLength: 4 }).map((f) => f.join(', '));

const overrides = fc.record(
  {
    fonts: fc.record({ body: fc.oneof(hostileText, honestStack), heading: fc.oneof(hostileText, honestStack) }, { requiredKeys: [] }),
    colors: fc.record({ primary: fc.oneof(hostileText, fc.stringMatching(/^#[0-9a-f]{6}$/)) }, { requiredKeys: [] }),
    radius: fc.oneof(hostileText, fc.stringMatching(/^\d{1,3}(px|rem)$/)),
    space: fc.oneof(hostileText, fc.stringMatching(/^\d{1,2}\.\d(rem|em)$/)),
  },
  { requiredKeys: [] },
);

function accepted(value: unknown): ThemeTokens | null {
  try {
    return resolveTheme('ocean', value);
  } catch {
    return null;
  }
}

/** The declarations the theme class should carry, as the tokens say. */
function expectedDeclarations(tokens: ThemeTokens): Record<string, string> {
  return {
    '--font-body': tokens.fonts.body,
    '--font-heading': tokens.fonts.heading,
    '--radius': tokens.radius,
    '--space': tokens.space,
    '--max-width': tokens.maxWidth,
    '--color-primary': tokens.colors.primary,
  };
}

describe('theme tokens a tenant types cannot escape their declarations (property)', () => {
  test('any accepted overrides render CSS that parses to exactly the declared rules and values', () => {
    fc.assert(
      fc.property(overrides, (value) => {
        const tokens = accepted(value);
        if (!tokens) return;
        const { className, css } = renderThemeCss(tokens);
        const root = postcss.parse(css);
        // One rule for the class and, for auto themes, one media query: nothing else opened.
        const topLevel = root.nodes.map((n) => (n.type === 'rule' ? `rule ${n.selector}` : n.type === 'atrule' ? `@${n.name} ${n.params}` : n.type));
        expect(topLevel.filter((n) => n !== `rule .${className}` && n !== '@media (prefers-color-scheme: dark)')).toEqual([]);
        const declarations = new Map<string, string>();
        root.walkDecls((d: Declaration) => {
          const rule = d.parent as postcss.Rule;
          if (rule.type === 'rule' && rule.parent?.type === 'root' && rule.selector === `.${className}`) declarations.set(d.prop, d.value);
          expect(d.important ?? false).toBe(false);
        });
        // The CSS is minified: spaces around commas go (quoted names never hold a comma).
        const compact = (v: string | undefined) => v?.replace(/ *, */g, ',');
        for (const [prop, value] of Object.entries(expectedDeclarations(tokens))) expect(compact(declarations.get(prop))).toBe(compact(value));
        root.walkAtRules((a) => expect(a.name).toBe('media'));
        for (const v of declarations.values()) expect(v).not.toMatch(/[;{}\\<>]|\/\*|url\(|expression\(/i);
      }),
      { numRuns: 400 },
    );
  });

  test('font stacks the grammar accepts keep their quotes balanced', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, honestStack), (stack) => {
        const tokens = accepted({ fonts: { body: stack } });
        if (!tokens) return;
        const outsideQuotes = stack.replace(/'[^']*'|"[^"]*"/g, '');
        expect(outsideQuotes).not.toMatch(/['"]/);
      }),
      { numRuns: 400 },
    );
  });
});
