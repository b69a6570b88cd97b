// The few parts of the `vscode` API that InboxPanel touches, so the bench can run the real panel code in plain
// Node and weigh what it keeps on the extension host's heap. postMessage serializes like VS Code does (JSON over
// IPC to the renderer) and hands the text to `onPost`; nothing else is kept.
/* eslint-disable @typescript-eslint/no-explicit-any */

type Listener<T> = (e: T) => unknown;

export class Uri {
  private constructor(readonly path: string) {}
  static file(path: string): Uri {
    return new Uri(path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.path, ...parts].join('/'));
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

function event<T>(): { fire(e: T): void; event: (l: Listener<T>) => Disposable } {
  let listeners: Listener<T>[] = [];
  return {
    fire: (e) => listeners.forEach((l) => l(e)),
    event: (l) => {
      listeners.push(l);
      return new Disposable(() => (listeners = listeners.filter((x) => x !== l)));
    },
  };
}

export interface StubPanel {
  /** Delivers a message from the (imaginary) webview to the extension. */
  receive(msg: unknown): void;
  dispose(): void;
}

export const stub = {
  /** Called with the serialized text of every message the extension posts to a webview. */
  onPost: (_text: string): void => undefined,
  panels: [] as StubPanel[],
};

export const window = {
  createWebviewPanel(viewType: string, title: string): any {
    const received = event<unknown>();
    const disposed = event<void>();
    const panel = {
      viewType,
      title,
      visible: true,
      iconPath: undefined as unknown,
      webview: {
        html: '',
        cspSource: 'vscode-resource:',
        asWebviewUri: (u: Uri) => u,
        postMessage: (msg: unknown) => {
          stub.onPost(JSON.stringify(msg));
          return Promise.resolve(true);
        },
        onDidReceiveMessage: received.event,
      },
      onDidDispose: disposed.event,
      reveal: () => undefined,
      dispose: () => disposed.fire(),
    };
    stub.panels.push({ receive: (m) => received.fire(m), dispose: () => panel.dispose() });
    return panel;
  },
  showTextDocument: () => Promise.resolve(undefined),
};

export const workspace = {
  openTextDocument: () => Promise.resolve(undefined),
};
