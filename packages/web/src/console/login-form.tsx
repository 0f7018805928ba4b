import { useState } from 'preact/hooks';

/** The agent pastes their `Authorization` value (`Basic …` from ./threadline up, or a bearer). */
export function LoginForm(props: { failure?: string | undefined; onLogin(token: string): void }) {
  const [token, setToken] = useState('');
  return (
    <main class="login">
      <form
        class="stack"
        aria-labelledby="login-title"
        onSubmit={(event) => {
          event.preventDefault();
          props.onLogin(token);
        }}
      >
        <h1 id="login-title">Agent console</h1>
        <div class="field">
          <label for="token">Access token</label>
          <input
            id="token"
            type="password"
            autoComplete="off"
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
            aria-describedby="token-help"
            required
          />
          <small id="token-help" class="notice">
            The Authorization value <code>./threadline up</code> printed (Basic …), or a bearer
            token.
          </small>
        </div>
        {props.failure && (
          <p class="error" role="alert">
            {props.failure}
          </p>
        )}
        <button type="submit">Log in</button>
      </form>
    </main>
  );
}
