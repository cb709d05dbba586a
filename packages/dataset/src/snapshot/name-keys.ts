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
 * tokens keep their exact form only: they are matched as curated aliases. Each key keeps the
 * token it came from, so a match can be weighed by how close the spellings are.
 */
export function nameKeys(text: string): { key: string; token: string }[] {
  const tokens = nameTokens(text);
  const forms = new Set<string>();
  tokens.forEach((token, index) => {
    if (!PARTICLES.has(token)) forms.add(token);
    const next = tokens[index + 1];
    if ((token === "al" || token === "el") && next) forms.add(token + next);
  });
  const keys: { key: string; token: string }[] = [];
  for (const form of forms) {
    keys.push({ key: `t:${form}`, token: form });
    if (LATIN.test(form) && form.length >= 3) {
      for (const code of new Set(doubleMetaphone(form))) if (code.length >= 2) keys.push({ key: `p:${code}`, token: form });
    }
  }
  return keys;
}
