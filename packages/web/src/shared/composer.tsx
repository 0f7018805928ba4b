import { useRef, useState } from 'preact/hooks';

interface ComposerProps {
  label: string;
  /** A draft to start from (the console keeps one per chat). */
  initialText?: string | undefined;
  disabled?: boolean;
  onSend(text: string): Promise<void>;
  /** What is in the box while the user types (typing indicator, sneak peek); '' when cleared. */
  onDraft?(text: string): void;
  onFile?(file: File): Promise<void>;
}

/** A message box: Enter sends, Shift+Enter starts a new line; a file can be attached. */
export function Composer({ label, initialText, disabled, onSend, onDraft, onFile }: ComposerProps) {
  const [text, setText] = useState(initialText ?? '');
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function send() {
    const message = text.trim();
    if (!message || busy) return;
    setBusy(true);
    try {
      await onSend(message);
      setText('');
      onDraft?.('');
    } finally {
      setBusy(false);
    }
  }

  async function attach(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file || !onFile) return;
    setBusy(true);
    try {
      await onFile(file);
    } finally {
      input.value = '';
      setBusy(false);
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label class="visually-hidden" for="message">
        {label}
      </label>
      <textarea
        id="message"
        rows={2}
        value={text}
        placeholder={label}
        disabled={disabled}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          onDraft?.(value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            void send();
          }
        }}
      />
      {onFile && (
        <>
          <input
            id="attachment"
            ref={fileInput}
            class="visually-hidden file-input"
            type="file"
            disabled={disabled || busy}
            onChange={(event) => void attach(event.currentTarget)}
          />
          <label class="button secondary" for="attachment">
            Attach a file
          </label>
        </>
      )}
      <button type="submit" disabled={disabled || busy || text.trim() === ''}>
        Send
      </button>
    </form>
  );
}
