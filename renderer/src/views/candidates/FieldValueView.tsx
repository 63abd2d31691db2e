// One demo field value as plain text (never HTML): a list as numbered items (a passage's title
// bold beside its rank, like a trace's retrieved passages), each long item or long string
// clamped to three lines with a "show all" toggle; other values as they read in a field table.
import { useState } from 'react';
import { fieldText, type FieldValue } from '../traces/tree/fields.ts';
import { isLongText, listItem } from './field-value.ts';

function Clamped({ text, className }: { text: string; className: string }) {
  const long = isLongText(text);
  const [full, setFull] = useState(false);
  return (
    <>
      <pre className={long && !full ? `${className} tt-clamp` : className}>{text}</pre>
      {long ? (
        <button type="button" className="tt-more" aria-expanded={full} onClick={() => setFull((f) => !f)}>
          {full ? 'show less' : 'show all'}
        </button>
      ) : null}
    </>
  );
}

export function FieldValueView({ value }: { value: FieldValue }) {
  if (Array.isArray(value)) {
    const items = value as readonly string[];
    if (items.length === 0) return <pre className="subtle">(empty list)</pre>;
    return (
      <ol className="tt-passages cand-list" data-testid="demo-field-list">
        {items.map((raw, i) => {
          const item = listItem(String(raw));
          return (
            <li key={i} className="tt-passage" data-testid="demo-field-item">
              <div className="tt-passage-head">
                <span className="tt-rank">{i + 1}.</span>
                {item.title !== null ? <span className="tt-passage-title">{item.title}</span> : null}
              </div>
              <Clamped text={item.text} className="tt-passage-text" />
            </li>
          );
        })}
      </ol>
    );
  }
  if (typeof value === 'string') return <Clamped text={value} className="cand-text" />;
  return <pre>{fieldText(value)}</pre>;
}
