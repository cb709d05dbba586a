import { describe, expect, it } from "vitest";
import { findActorMentions, postPatterns, rankActors } from "./actors.js";
import { RecordIndex } from "./record.js";
import { curated } from "../test/record.js";

const index = new RecordIndex(curated());
const patterns = postPatterns(index);
const mentions = (sentence: string, day = "2026-02-10", earlier: string[] = []) => findActorMentions(sentence, index, patterns, { day }, earlier).filter((m) => !m.modifier);
const linked = (sentence: string, day?: string, earlier?: string[]) => mentions(sentence, day, earlier).map((m) => m.actor ?? `?${m.status}`);

describe("actor linking", () => {
  it.each([
    ["Abbas Araqchi", "abbas-araghchi"],
    ["Abbas Araghchi", "abbas-araghchi"],
    ["Badr bin Hamad bin Hamood Albusaidi", "badr-albusaidi"],
    ["Badr al-Busaidi", "badr-albusaidi"],
    ["Sayyid Hamoud bin Faisal Al Busaidi", "hamoud-bin-faisal-albusaidi"],
    ["Haitham bin Tarik", "haitham-bin-tariq"],
  ])("%s → %s, whatever the spelling", (name, id) => {
    expect(rankActors(name, index)[0]?.id).toBe(id);
    expect(linked(`Yesterday ${name} spoke.`)).toContain(id);
  });

  it("links native-script aliases", () => {
    expect(linked("دیدار عباس عراقچی با وزیر خارجه")).toContain("abbas-araghchi");
    expect(linked("استقبل بدر بن حمد البوسعيدي الوزير")).toContain("badr-albusaidi");
  });

  it("resolves a post to whoever held it on the day", () => {
    expect(linked("Iran's foreign minister arrived in Muscat.", "2026-02-10")).toContain("abbas-araghchi");
    expect(linked("The secretary of Iran's Supreme National Security Council spoke.", "2024-06-01")).toContain("ali-akbar-ahmadian");
    expect(linked("The secretary of Iran's Supreme National Security Council spoke.", "2026-02-10")).toContain("ali-larijani");
  });

  it("keeps the two Al Busaidi ministers apart: a family name alone is ambiguous, never merged", () => {
    const [mention] = mentions("Albusaidi arrived.");
    expect(mention?.status).toBe("ambiguous");
    expect(mention?.candidates.map((c) => c.id).sort()).toEqual(["badr-albusaidi", "hamoud-bin-faisal-albusaidi"]);
    expect(linked("Badr Albusaidi met Hamoud Albusaidi.").sort()).toEqual(["badr-albusaidi", "hamoud-bin-faisal-albusaidi"]);
  });

  it("a family name after a full name in the same article means that person", () => {
    const [mention] = mentions("Busaidi echoed the sentiment.", "2025-10-27", ["hamoud-bin-faisal-albusaidi"]);
    expect(mention).toMatchObject({ status: "existing", actor: "hamoud-bin-faisal-albusaidi", via: "coreference" });
  });

  it("an unknown name becomes a proposed new actor, its kind guessed", () => {
    const [mention] = mentions("Karim Nourbakhsh attended the talks.");
    expect(mention).toMatchObject({ status: "new", kind: "person" });
    expect(mentions("The Gulf Maritime Council met.").find((m) => m.status === "new")?.kind).toBe("government-body");
  });

  it("a demonym qualifying a person is not a participant of its own", () => {
    expect(linked("Iranian President Masoud Pezeshkian arrived.", "2025-05-27")).toEqual(["masoud-pezeshkian"]);
  });
});
