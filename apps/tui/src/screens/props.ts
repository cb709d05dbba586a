import type { Connection } from "../data.js";
import type { Line, RecordKind } from "../format.js";

/** What App hands every screen: the data, the space it has, and where it reports back. */
export interface ScreenProps {
  connection: Connection;
  width: number;
  height: number;
  active: boolean;
  onOpen: (link: { kind: RecordKind; id: string }) => void;
  onSelect: (line: Line | undefined) => void;
  /** Told while the list's quick filter takes every key typed. */
  onCapture?: (capturing: boolean) => void;
}
