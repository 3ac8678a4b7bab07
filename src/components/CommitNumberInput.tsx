import { useEffect, useRef, useState } from 'react';

interface Props {
  testId: string;
  label: string;
  /** null shows an empty field (the rule is off). */
  value: number | null;
  min?: number;
  step?: string;
  placeholder?: string;
  /** Called with the committed text (change event: Enter or leaving the field). */
  onCommit: (text: string) => void;
}

/** A number field that applies its value when committed, not on every keystroke. */
export function CommitNumberInput({ testId, label, value, min, step = 'any', placeholder, onCommit }: Props) {
  const shown = value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  // A new value in force replaces the text during this render (React's "adjust state when a
  // prop changes"), not in an effect: an effect re-rendered the field in a second commit at
  // every slider step.
  const [textOf, setTextOf] = useState(shown);
  if (textOf !== shown) {
    setTextOf(shown);
    setText(shown);
  }
  const input = useRef<HTMLInputElement>(null);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  const shownRef = useRef(shown);
  shownRef.current = shown;
  useEffect(() => {
    const element = input.current;
    if (!element) return;
    const onChange = () => {
      commit.current(element.value);
      // A refused value snaps back to the one in force (an accepted one arrives as `value`).
      setText(shownRef.current);
    };
    element.addEventListener('change', onChange);
    return () => element.removeEventListener('change', onChange);
  }, []);
  return (
    <label>
      <span>{label}</span>
      <input
        ref={input}
        type="number"
        data-testid={testId}
        min={min}
        step={step}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
    </label>
  );
}
