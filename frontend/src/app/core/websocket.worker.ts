/**
 * Owns the protocol WebSocket off the page's main thread (see
 * websocket-transport.ts for why). Inbound messages are passed on in batches:
 * the first goes to the page at once; while the page has not yet taken a
 * batch, later ones gather into the next, so a flood reaches the page as one
 * task per turn of its event loop instead of one per network read.
 */
import type { FromSocketWorker, ToSocketWorker } from './websocket-transport';

/** The dedicated worker's global scope, typed just enough (the app compiles against the DOM library). */
interface WorkerScope {
  postMessage(message: FromSocketWorker): void;
  onmessage: ((event: MessageEvent<ToSocketWorker>) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;

/**
 * Asks the server for binary frames (BINARY_JSON_SUBPROTOCOL in
 * backend/server/web-server.ts): TextDecoder turns them into strings faster
 * than the browser decodes text frames. Text frames still work.
 */
const BINARY_JSON_SUBPROTOCOL = 'troika.json-binary';
const decoder = new TextDecoder();

let socket: WebSocket | undefined;
/** Identifies the page's current connection attempt; events of older ones are dropped by the page. */
let attempt = 0;
let queue: string[] = [];
/** A batch was posted and the page has not said it took it yet. */
let inFlight = false;

function post(): void {
  if (queue.length === 0) return;
  inFlight = true;
  scope.postMessage({ type: 'messages', attempt, messages: queue });
  queue = [];
}

function connect(url: string, id: number): void {
  socket?.close();
  queue = [];
  inFlight = false;
  attempt = id;
  const current = new WebSocket(url, [BINARY_JSON_SUBPROTOCOL]);
  current.binaryType = 'arraybuffer';
  socket = current;
  current.onopen = () => scope.postMessage({ type: 'open', attempt: id });
  current.onmessage = (event: MessageEvent) => {
    if (socket !== current) return;
    if (typeof event.data === 'string') queue.push(event.data);
    else if (event.data instanceof ArrayBuffer) queue.push(decoder.decode(event.data));
    else return;
    if (!inFlight) post();
  };
  current.onclose = () => {
    if (socket !== current) return;
    // Everything received goes to the page before the close does.
    post();
    socket = undefined;
    scope.postMessage({ type: 'close', attempt: id });
  };
}

scope.onmessage = ({ data }) => {
  switch (data.type) {
    case 'connect':
      connect(data.url, data.attempt);
      break;
    case 'send':
      if (socket?.readyState === WebSocket.OPEN) socket.send(data.message);
      break;
    case 'taken':
      inFlight = false;
      post();
      break;
    case 'close':
      socket?.close();
      socket = undefined;
      queue = [];
      break;
  }
};
