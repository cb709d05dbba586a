import { doubleMetaphone } from "double-metaphone";

/** Particles transliterations attach or detach at will: "Al Busaidi", "al-Busaidi", "Albusaidi". */
const PARTICLES = new Set(["al", "el", "ul", "bin", "bint", "ibn"]);
const LATIN = /^[a-z]+$/;

/** Lowercase, strip diacritics and apostrophes, split on anything that is not a letter or digit. */
export function nameTokens(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’‘`ʿʾ]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * The search keys of a name: each token as written (`t:`), the token joined to a preceding
 * particle ("al busaidi" → `t:albusaidi`), and the double-metaphone codes of every Latin token
 * (`p:`), which make Araqchi and Araghchi, Tarik and Tariq, Zarif and Zareef meet. Native-script
 * tokens keep their exact form only: they are matched as curated aliases.
 */
export function nameKeys(text: string): Set<string> {
  const tokens = nameTokens(text);
  const forms = new Set<string>();
  tokens.forEach((token, index) => {
    if (!PARTICLES.has(token)) forms.add(token);
    const next = tokens[index + 1];
    if ((token === "al" || token === "el") && next) forms.add(token + next);
  });
  const keys = new Set<string>();
  for (const form of forms) {
    keys.add(`t:${form}`);
    if (LATIN.test(form) && form.length >= 3) {
      for (const code of doubleMetaphone(form)) if (code.length >= 2) keys.add(`p:${code}`);
    }
  }
  return keys;
}
