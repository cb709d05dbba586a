import { describe, expect, it } from "vitest";
import { ArticleError, detectLanguage, MAX_ARTICLE_BYTES, readArticle, splitSentences } from "./text.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("what the assistant accepts as an article", () => {
  it("refuses empty, blank and binary input with a reason", () => {
    expect(() => readArticle(bytes(""))).toThrow(/empty/);
    expect(() => readArticle(bytes(" \n\n\t "))).toThrow(/empty/);
    expect(() => readArticle(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toThrow(ArticleError);
    expect(() => readArticle(new Uint8Array([0xff, 0xfe, 0xfd]))).toThrow(/not UTF-8/);
  });

  it("refuses more than its bound, one byte past it", () => {
    expect(() => readArticle(new Uint8Array(MAX_ARTICLE_BYTES + 1).fill(0x61))).toThrow(/at most 1 MB/);
    expect(() => readArticle(new Uint8Array(MAX_ARTICLE_BYTES).fill(0x61))).not.toThrow();
  });

  it("strips HTML to paragraphs and says so", () => {
    const article = readArticle(bytes("<html><head><style>p{}</style></head><body><h1>Talks in Muscat</h1><p>The minister arrived &amp; met the sultan.</p><script>x()</script><p>Second</p></body></html>"));
    expect(article.paragraphs).toEqual(["Talks in Muscat", "The minister arrived & met the sultan.", "Second"]);
    expect(article.warnings[0]).toMatch(/HTML/);
  });

  it("counts paragraphs as the codebook does: every non-blank line", () => {
    expect(readArticle(bytes("Headline\n\nFirst paragraph.\n(photo credit: X)\n")).paragraphs).toHaveLength(3);
  });

  it("splits sentences without breaking on abbreviations' dots inside numbers", () => {
    const sentences = splitSentences(["He arrived on Tuesday. Talks lasted 2.5 hours. They ended."]);
    expect(sentences.map((s) => s.text)).toEqual(["He arrived on Tuesday.", "Talks lasted 2.5 hours.", "They ended."]);
    expect(sentences[1]?.offset).toBe(23);
  });

  it("tells the language, Arabic from Persian by their letters", () => {
    expect(detectLanguage("The foreign minister arrived in Muscat on Tuesday for talks with the sultan about the region.")).toBe("en");
    expect(detectLanguage("Der Außenminister traf am Dienstag in Maskat ein, um mit dem Sultan über die Region zu sprechen.")).toBe("de");
    expect(detectLanguage("وصل وزير الخارجية إلى مسقط يوم الثلاثاء لإجراء محادثات مع السلطان")).toBe("ar");
    expect(detectLanguage("وزیر امور خارجه روز سه‌شنبه برای گفتگو با سلطان وارد مسقط شد")).toBe("fa");
  });
});
