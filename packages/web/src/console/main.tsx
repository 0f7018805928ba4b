import { render } from 'preact';
import '../shared/styles.css';
import './console.css';
import { rememberedAuthorization } from './agent-session.ts';
import { ConsoleApp } from './console-app.tsx';

const gatewayUrl =
  new URLSearchParams(window.location.search).get('gateway') ?? window.location.origin;
render(
  <ConsoleApp gatewayUrl={gatewayUrl} token={rememberedAuthorization(window.location, history)} />,
  document.getElementById('app')!,
);
