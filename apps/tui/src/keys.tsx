import { useInput, type Key } from "ink";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";

/**
 * One key as the views see it. `text` is a printable character typed without Ctrl or Meta;
 * a key with Ctrl or Meta held has no text, so Ctrl-J is never `j` (it is `ctrl: "j"`).
 */
export interface Keystroke {
  text: string;
  /** The letter held with Ctrl (`"c"` for Ctrl-C), if any. */
  ctrl?: string;
  meta?: boolean;
  name?: "return" | "escape" | "tab" | "backtab" | "backspace" | "up" | "down" | "left" | "right" | "pageup" | "pagedown" | "home" | "end";
}

/** A control character met inside a chunk of several keys, by what it means. */
function controlKey(char: string): Keystroke {
  if (char === "\r") return { text: "", name: "return" };
  if (char === "\t") return { text: "", name: "tab" };
  if (char === "\u007F" || char === "\b") return { text: "", name: "backspace" };
  const code = char.codePointAt(0)!;
  // \n is Ctrl-J; 1–26 are Ctrl-A … Ctrl-Z.
  if (code >= 1 && code <= 26) return { text: "", ctrl: String.fromCharCode(code + 96) };
  return { text: "" };
}

const isControl = (char: string) => char.codePointAt(0)! < 0x20 || char === "\u007F";

/** What Ink parsed as one key (an escape sequence, a control key or one character). */
function single(input: string, key: Key): Keystroke {
  const name: Keystroke["name"] = key.return
    ? "return"
    : key.escape
      ? "escape"
      : key.tab
        ? key.shift
          ? "backtab"
          : "tab"
        : key.backspace || key.delete
          ? "backspace"
          : key.upArrow
            ? "up"
            : key.downArrow
              ? "down"
              : key.leftArrow
                ? "left"
                : key.rightArrow
                  ? "right"
                  : key.pageUp
                    ? "pageup"
                    : key.pageDown
                      ? "pagedown"
                      : key.home
                        ? "home"
                        : key.end
                          ? "end"
                          : undefined;
  if (name) return { text: "", name };
  if (key.ctrl) return { text: "", ctrl: input };
  if (key.meta) return { text: "", meta: true };
  if (input.length === 1 && isControl(input)) return controlKey(input);
  return { text: input };
}

/**
 * Every key of what Ink hands over at once. Ink splits escape sequences apart but gives a run of
 * plain characters (fast typing, key repeat, a paste such as `Araqchi\r`) as one string: this
 * cuts that run into its characters, control characters included, in order.
 */
export function splitKeys(input: string, key: Key): Keystroke[] {
  const chars = [...input];
  const flagged = key.return || key.escape || key.tab || key.backspace || key.delete || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.ctrl || key.meta;
  if (chars.length <= 1 || flagged) return [single(input, key)];
  return chars.map((char) => (isControl(char) ? controlKey(char) : { text: char }));
}

type Handler = (key: Keystroke) => void;
type Registry = Set<{ current: Handler | undefined; typing: boolean }>;

const KeyContext = createContext<Registry | undefined>(undefined);

/**
 * The one reader of the keyboard. Keys that arrive together are queued and handed out one at a
 * time, each after the screen has caught up with the previous one: `jjjj` moves four rows, `/`
 * followed by `Araqchi⏎` in one chunk opens the search box, types into it and submits it.
 */
export function KeyRouter({ children }: { children: ReactNode }) {
  const registry = useRef<Registry>(new Set()).current;
  const queue = useRef<Keystroke[]>([]);
  // From a key's dispatch until the render it caused has committed: later keys wait in the queue.
  const busy = useRef(false);
  const [handled, setHandled] = useState(0);

  const next = () => {
    let key = queue.current.shift();
    busy.current = key !== undefined;
    if (!key) return;
    const listening = [...registry].filter((handler) => handler.current);
    // Where text is being typed, a run of characters is one edit: a paste costs one render.
    if (key.text && listening.some((handler) => handler.typing)) {
      let text = key.text;
      while (queue.current[0]?.text) text += queue.current.shift()!.text;
      key = { text };
    }
    for (const handler of listening) handler.current?.(key);
    // The next key waits for the render this one caused, so it meets the state this one left.
    setHandled((count) => count + 1);
  };
  useInput((input, key) => {
    queue.current.push(...splitKeys(input, key));
    if (!busy.current) next();
  });
  useEffect(next, [handled]);
  return <KeyContext.Provider value={registry}>{children}</KeyContext.Provider>;
}

/**
 * Hands every key to `handler` while `active`; the handler always sees this render's state.
 * A handler that is `typing` takes printable characters as text, and gets a run of them at once.
 */
export function useKeys(handler: Handler, active = true, typing = false) {
  const registry = useContext(KeyContext);
  if (!registry) throw new Error("useKeys needs a <KeyRouter> above it");
  const ref = useRef<{ current: Handler | undefined; typing: boolean }>({ current: undefined, typing: false }).current;
  ref.current = active ? handler : undefined;
  ref.typing = typing;
  useEffect(() => {
    registry.add(ref);
    return () => {
      registry.delete(ref);
    };
  }, [registry]);
}
