import { render } from 'preact';
import '../shared/styles.css';
import './widget.css';
import { readWidgetConfig } from './customer-session.ts';
import { WidgetApp } from './widget-app.tsx';

const config = readWidgetConfig(window.location);
const root = document.getElementById('app')!;
if (config) {
  render(<WidgetApp config={config} />, root);
} else {
  render(
    <main class="widget">
      <p class="error pad" role="alert">
        This page needs <code>?organization_id=…&amp;client_id=…</code> (./threadline up prints the
        link).
      </p>
    </main>,
    root,
  );
}
