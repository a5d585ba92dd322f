// The class page: the join form, then xterm.js connected to the class over a WebSocket.
// The terminal sends what a terminal sends (keys, SGR mouse reports for taps, pastes); the
// server draws every frame. Reconnects keep the student's place with a server-issued token.
import { Terminal } from '/assets/xterm.mjs';
import { FitAddon } from '/assets/addon-fit.mjs';

const $ = (id) => document.getElementById(id);
const store = window.sessionStorage;
const KEYS = {
  esc: '\x1b', tab: '\t', enter: '\r', help: '?',
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D',
  pgup: '\x1b[5~', pgdn: '\x1b[6~',
};
const SIZES = [10, 12, 14, 16, 18, 20, 24];

let term = null;
let fit = null;
let socket = null;
let detach = () => {};
let retry = 0;
let retryTimer = null;
let ended = false;
let code = '';

function status(text) { $('status').textContent = text; }
function link(text) { $('link').textContent = text; }

function socketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function startTerminal() {
  if (term) return;
  const size = Number(store.getItem('stemcell.size')) || (window.innerWidth < 500 ? 12 : 16);
  term = new Terminal({
    fontSize: size,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    cursorBlink: false,
    screenReaderMode: $('reader').checked,
    allowProposedApi: false,
    theme: { background: '#111318' },
    scrollback: 0,
  });
  fit = new FitAddon();
  term.loadAddon(fit);
  $('join-view').hidden = true;
  $('class-view').hidden = false;
  term.open($('terminal'));
  // Keys, pastes and mouse reports go to whichever socket is open now.
  term.onData((data) => send(new TextEncoder().encode(data)));
  term.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
  term.onResize(({ cols, rows }) => {
    // The size in cells, for anyone (a test, a curious student) who asks the page.
    $('terminal').dataset.size = `${cols}x${rows}`;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ cols, rows }));
  });
  // Fit only when the box has a size; follow the visible viewport (the soft keyboard).
  new ResizeObserver(refit).observe($('terminal'));
  if (window.visualViewport) window.visualViewport.addEventListener('resize', refit);
  for (const button of document.querySelectorAll('#keys button')) {
    // pointerdown keeps the terminal's focus (and the soft keyboard) where it was.
    button.addEventListener('pointerdown', (e) => e.preventDefault());
    button.addEventListener('click', () => { send(new TextEncoder().encode(KEYS[button.dataset.key])); term.focus(); });
  }
  $('smaller').addEventListener('click', () => resizeText(-1));
  $('larger').addEventListener('click', () => resizeText(1));
  refit();
  term.focus();
}

function refit() {
  const view = window.visualViewport;
  if (view) $('class-view').style.height = `${view.height}px`;
  const box = $('terminal');
  if (fit && box.clientWidth > 0 && box.clientHeight > 0) fit.fit();
}

function resizeText(step) {
  const now = SIZES.indexOf(term.options.fontSize);
  const next = SIZES[Math.max(0, Math.min(SIZES.length - 1, (now < 0 ? 3 : now) + step))];
  term.options.fontSize = next;
  store.setItem('stemcell.size', String(next));
  refit();
}

function send(bytes) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(bytes);
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  detach();
  const ws = new WebSocket(socketUrl());
  ws.binaryType = 'arraybuffer';
  socket = ws;
  const onOpen = () => {
    const hello = {
      name: store.getItem('stemcell.name') || '',
      code,
      resume: store.getItem('stemcell.token') || null,
      cols: term ? term.cols : 80,
      rows: term ? term.rows : 24,
    };
    ws.send(JSON.stringify(hello));
  };
  const onMessage = (event) => {
    if (typeof event.data !== 'string') {
      term.write(new Uint8Array(event.data));
      return;
    }
    const message = JSON.parse(event.data);
    if (message.joined) {
      retry = 0;
      code = '';
      store.setItem('stemcell.token', message.joined.token);
      store.setItem('stemcell.name', message.joined.name);
      link('');
      startTerminal();
      // The server draws the whole screen for this socket; a resize tells it our size.
      term.reset();
      refit();
      ws.send(JSON.stringify({ cols: term.cols, rows: term.rows }));
    } else if (message.refused) {
      ended = true;
      store.removeItem('stemcell.token');
      showForm(message.refused);
    } else if (message.ended !== undefined) {
      ended = true;
      store.removeItem('stemcell.token');
      link('The session is over. Reload the page to join again.');
    }
  };
  const onClose = () => {
    if (socket !== ws) return;
    socket = null;
    if (ended) return;
    if (!store.getItem('stemcell.token')) { showForm('The connection closed. Join again.'); return; }
    // Back off: 0.5 s, 1 s, 2 s … up to 15 s, with some jitter so a room does not return at once.
    const wait = Math.min(15000, 500 * 2 ** retry) * (0.75 + Math.random() / 2);
    retry += 1;
    link(`Connection lost: trying again in ${Math.round(wait / 1000)} s …`);
    status(`Connection lost: trying again …`);
    retryTimer = setTimeout(connect, wait);
  };
  ws.addEventListener('open', onOpen);
  ws.addEventListener('message', onMessage);
  ws.addEventListener('close', onClose);
  ws.addEventListener('error', onClose);
  // The next connect removes these first: an old socket can never type or draw twice.
  detach = () => {
    ws.removeEventListener('open', onOpen);
    ws.removeEventListener('message', onMessage);
    ws.removeEventListener('close', onClose);
    ws.removeEventListener('error', onClose);
    if (ws.readyState <= WebSocket.OPEN) ws.close();
  };
}

function showForm(message) {
  if (term) { $('class-view').hidden = true; $('join-view').hidden = false; }
  status(message);
  $('name').value = store.getItem('stemcell.name') || $('name').value;
  $('code').focus();
}

// Back from a sleeping lid or another tab: reconnect now rather than after the back-off.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && retryTimer && !ended) { retry = 0; connect(); }
});

$('join').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (!name) { status('Type your name first.'); $('name').focus(); return; }
  store.setItem('stemcell.name', name);
  store.removeItem('stemcell.token');
  code = $('code').value;
  ended = false;
  status('Joining …');
  connect();
});

$('name').value = store.getItem('stemcell.name') || '';
// A reload in the middle of a class comes straight back in.
if (store.getItem('stemcell.token')) { ended = false; status('Rejoining …'); connect(); }
