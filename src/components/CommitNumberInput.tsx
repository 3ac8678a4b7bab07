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
  const [text, setText] = useState(value === null ? '' : String(value));
  const input = useRef<HTMLInputElement>(null);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  const shown = value === null ? '' : String(value);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  useEffect(() => setText(shown), [shown]);
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
