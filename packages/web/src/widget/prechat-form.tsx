import { useState } from 'preact/hooks';

export interface PrechatAnswers {
  name: string;
  email: string;
  question: string;
}

/** Asked before the first chat: who the customer is and what they need (their first message). */
export function PrechatForm({ onSubmit }: { onSubmit(answers: PrechatAnswers): Promise<void> }) {
  const [answers, setAnswers] = useState<PrechatAnswers>({ name: '', email: '', question: '' });
  const [busy, setBusy] = useState(false);
  const field = (key: keyof PrechatAnswers) => ({
    id: `prechat-${key}`,
    value: answers[key],
    onInput: (event: { currentTarget: { value: string } }) =>
      setAnswers({ ...answers, [key]: event.currentTarget.value }),
  });
  return (
    <form
      class="stack prechat"
      aria-labelledby="prechat-title"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        onSubmit(answers).finally(() => setBusy(false));
      }}
    >
      <h2 id="prechat-title">Before we start</h2>
      <div class="field">
        <label for="prechat-name">Your name</label>
        <input {...field('name')} autoComplete="name" required />
      </div>
      <div class="field">
        <label for="prechat-email">Email (optional)</label>
        <input {...field('email')} type="email" autoComplete="email" />
      </div>
      <div class="field">
        <label for="prechat-question">How can we help?</label>
        <textarea {...field('question')} rows={3} required />
      </div>
      <button type="submit" disabled={busy}>
        Start the chat
      </button>
    </form>
  );
}
