import { splitParagraphs } from "@backchannel/dataset/articles";
import { franc } from "franc-min";

/** The most text the assistant reads: a long feature is ~60 KB; a megabyte is not an article. */
export const MAX_ARTICLE_BYTES = 1_000_000;

/** An article the assistant refuses, with the reason a curator can act on. */
export class ArticleError extends Error {
  override name = "ArticleError";
}

export interface Article {
  text: string;
  paragraphs: string[];
  warnings: string[];
}

const HTML_TAG = /<\/?(?:html|head|body|p|div|span|br|a|article|section|h[1-6]|ul|ol|li|em|strong|b|i|figure|figcaption|time|header|footer|script|style)\b[^>]*>/i;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", rsquo: "’", lsquo: "‘", ldquo: "“", rdquo: "”", mdash: "—", ndash: "–" };

/** Tags out, one paragraph per block element, scripts and styles dropped whole, entities decoded. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(?:br|\/p|\/div|\/h[1-6]|\/li|\/figcaption|\/header|\/section|\/article)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

/** Decodes and checks what a curator handed in: bytes from a file or stdin. */
export function readArticle(bytes: Uint8Array): Article {
  if (bytes.byteLength > MAX_ARTICLE_BYTES) {
    throw new ArticleError(`the article is ${(bytes.byteLength / 1_000_000).toFixed(1)} MB; the assistant reads at most ${MAX_ARTICLE_BYTES / 1_000_000} MB of text (one article, not a collection)`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ArticleError("the file is not UTF-8 text (binary data?): save the article as plain text");
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new ArticleError("the file holds control characters, so it is binary data, not an article's text");
  const warnings: string[] = [];
  text = text.replace(/^\uFEFF/, "");
  if (HTML_TAG.test(text)) {
    text = stripHtml(text);
    warnings.push("the input was HTML: its tags were stripped, one paragraph per block; check the paragraph numbers against the article as published");
  }
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) throw new ArticleError("the article is empty: there is no text to draft from");
  if (!/\p{L}{2,}/u.test(text)) throw new ArticleError("the article has no words in it");
  return { text, paragraphs, warnings };
}

export interface Sentence {
  paragraph: number;
  /** Offset of the sentence within its paragraph. */
  offset: number;
  text: string;
}

const segmenters = new Map<string, Intl.Segmenter>();

/** Sentences with where they sit, by the Unicode rules for the article's language. */
export function splitSentences(paragraphs: string[], language = "en"): Sentence[] {
  const locale = language.split("-")[0]!;
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
    segmenters.set(locale, segmenter);
  }
  const sentences: Sentence[] = [];
  paragraphs.forEach((paragraph, index) => {
    for (const { segment, index: offset } of segmenter.segment(paragraph)) {
      const trimmed = segment.trimEnd();
      if (trimmed) sentences.push({ paragraph: index + 1, offset, text: trimmed });
    }
  });
  return sentences;
}

const FRANC_TO_BCP47: Record<string, string> = { eng: "en", arb: "ar", pes: "fa", deu: "de", fra: "fr", rus: "ru", spa: "es", tur: "tr", urd: "ur" };
const PERSIAN_LETTERS = /[پچژگکی]/g;
const ARABIC_SCRIPT = /[\u0600-\u06ff]/g;

/** BCP 47 tag of the article's language; Arabic script is told apart from Persian by its letters. */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, 20_000);
  const arabicScript = sample.match(ARABIC_SCRIPT)?.length ?? 0;
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters > 0 && arabicScript / letters > 0.5) {
    return (sample.match(PERSIAN_LETTERS)?.length ?? 0) / arabicScript > 0.02 ? "fa" : "ar";
  }
  const code = franc(sample, { minLength: 10, only: Object.keys(FRANC_TO_BCP47) });
  return FRANC_TO_BCP47[code] ?? "en";
}
