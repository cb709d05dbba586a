/**
 * Colours that read on dark and light terminals, Solarized included: text keeps the terminal's
 * own foreground (never bright black, which vanishes on Solarized Dark), colour marks meaning,
 * and `dimColor` is kept for decoration (placeholders, hints). NO_COLOR drops every colour;
 * FORCE_COLOR is honoured by Ink's chalk (colour even when stdout is not a terminal).
 */
const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";

export const theme = {
  accent: plain ? undefined : "cyan",
  link: plain ? undefined : "blue",
  heading: plain ? undefined : "magenta",
  warn: plain ? undefined : "yellow",
  error: plain ? undefined : "red",
  good: plain ? undefined : "green",
  /** Selection is shown by inverse video, which works with or without colour. */
  plain,
} as const;
