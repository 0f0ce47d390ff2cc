import { useEffect, useRef, useState } from 'react';

/** Typing settles for this long before the search reaches the URL and the backend. */
const SEARCH_DEBOUNCE_MS = 300;

/**
 * A search field's text, kept in the URL: what is typed reaches `onChange` once typing settles, and a change of
 * the URL from outside (the back button, a link, Clear) replaces the text. The URL catching up with what was typed
 * does not, which would drop the keystrokes made meanwhile.
 */
export function useSearchText(
  fromUrl: string,
  onChange: (text: string | undefined) => void,
): [string, (text: string) => void] {
  const [text, setText] = useState(fromUrl);
  const sent = useRef(fromUrl);
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => {
    if (fromUrl !== sent.current) {
      sent.current = fromUrl;
      setText(fromUrl);
    }
  }, [fromUrl]);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted === sent.current) return undefined;
    const timer = setTimeout(() => {
      sent.current = wanted;
      latest.current(wanted || undefined);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return [text, setText];
}
