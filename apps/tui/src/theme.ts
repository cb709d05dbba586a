/** Colours that read on dark and light terminals (no white, no black); none at all under NO_COLOR. */
const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";

export const theme = {
  accent: plain ? undefined : "cyan",
  link: plain ? undefined : "blue",
  heading: plain ? undefined : "magenta",
  dim: plain ? undefined : "gray",
  warn: plain ? undefined : "yellow",
  error: plain ? undefined : "red",
  good: plain ? undefined : "green",
  /** Selection is shown by inverse video, which works with or without colour. */
  plain,
} as const;
