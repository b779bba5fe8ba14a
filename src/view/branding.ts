
/** The colours report.css names as custom properties; a council may set any of them. */
export const COLOUR_NAMES = ['ink', 'muted', 'accent', 'rule', 'tint', 'complete', 'on-track', 'at-risk', 'not-started'] as const;
export type ColourName = (typeof COLOUR_NAMES)[number];

/** The built-in values, as templates/report.css sets them; used to check contrast. */
export const DEFAULT_COLOURS: Record<ColourName, string> = {
  ink: '#1a1a1a',
  muted: '#4a4a4a',
  accent: '#1d4f76',
  rule: '#9aa5b1',
  tint: '#eef3f8',
  complete: '#1e5e2f',
  'on-track': '#1d4f76',
  'at-risk': '#8a1c1c',
  'not-started': '#4a4a4a',
};

/** Colours used for text on the white page (the others are borders and fills). */
const TEXT_COLOURS: readonly ColourName[] = ['ink', 'muted', 'accent', 'complete', 'on-track', 'at-risk', 'not-started'];

/** WCAG 2.2 AA for body text. */
export const MIN_CONTRAST = 4.5;

/** What a council sets once in csi.config.yaml to make the report its own. */
export interface Branding {
  /** The council the report must be for; report.yaml's `council` must agree. */
  council?: string | undefined;
  /** The committee the report must be for; report.yaml's `committee` must agree. */
  committee?: string | undefined;
  /** The logo as a `data:` URI, shown on the cover. */
  logo?: string | undefined;
  colours?: Partial<Record<ColourName, string>> | undefined;
  /** The config file these come from, as messages name it. */
  configFile?: string | undefined;
}

function luminance(hex: string): number {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two `#rgb`/`#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Colour choices that would make the report fail WCAG AA: text colours on the
 * white page, and ink on the tinted table headers. Keyed by colour name.
 */
export function contrastProblems(colours: Partial<Record<ColourName, string>>): Map<ColourName, string> {
  const problems = new Map<ColourName, string>();
  const colour = (name: ColourName) => colours[name] ?? DEFAULT_COLOURS[name];
  for (const name of TEXT_COLOURS) {
    const value = colours[name];
    if (!value) continue;
    const ratio = contrastRatio(value, '#ffffff');
    if (ratio < MIN_CONTRAST) {
      problems.set(name, `"${name}" ${value} has a contrast of ${ratio.toFixed(1)}:1 on white; text needs at least ${MIN_CONTRAST}:1`);
    }
  }
  if (colours.tint || colours.ink) {
    const ratio = contrastRatio(colour('ink'), colour('tint'));
    const name: ColourName = colours.tint ? 'tint' : 'ink';
    if (ratio < MIN_CONTRAST && !problems.has(name)) {
      problems.set(name, `ink ${colour('ink')} on tint ${colour('tint')} has a contrast of ${ratio.toFixed(1)}:1; table headers need at least ${MIN_CONTRAST}:1`);
    }
  }
  return problems;
}

/** CSS that sets the council's colours after the theme's own rules. Pure. */
export function brandingCss(colours: Branding['colours']): string {
  const set = COLOUR_NAMES.filter((name) => colours?.[name]).map((name) => `  --${name}: ${colours![name]};`);
  return set.length === 0 ? '' : `\n/* colours from csi.config.yaml */\n:root {\n${set.join('\n')}\n}\n`;
}
