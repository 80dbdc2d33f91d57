import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type {
  AgentSummary,
  EventMap,
  HelloResult,
  ParamsOf,
} from '../../../../backend/protocol/index.ts';
import { slotHolders, slotsTakenMessage } from '../../../../backend/protocol/slots.ts';
import { ProtocolClient } from '../core/protocol-client';
import { AgentStore } from './agent-store';
import { ControlTiming } from './control-timing';

/** Panels side by side: the product's promise of three agents at once. */
export const PANEL_COUNT = 3;

/**
 * The agents of this session, one {@link AgentStore} each, fed by the
 * backend's `agent.*` events; and which of them the panels show. On every
 * (re)connection the list and each transcript are fetched again.
 */
@Injectable({ providedIn: 'root' })
export class Agents {
  readonly #client = inject(ProtocolClient);
  readonly #timing = inject(ControlTiming);
  readonly #stores = new Map<string, AgentStore>();
  readonly #all = signal<readonly AgentStore[]>([]);
  /** Every agent of this session, oldest first. */
  readonly all = this.#all.asReadonly();
  readonly #panels = signal<readonly (string | null)[]>(
    Array.from({ length: PANEL_COUNT }, () => null),
  );
  /** Which agent each panel shows (null: an empty panel). */
  readonly panels = computed(() =>
    this.#panels().map((id) => (id === null ? undefined : this.#storeOf(id))),
  );
  readonly #focused = signal<string | null>(null);
  /** The agent filling the window, if one does. */
  readonly focused = this.#focused.asReadonly();
  readonly #hello = signal<HelloResult | null>(null);
  readonly hello = this.#hello.asReadonly();
  /** Agents waiting for the user (an approval or an answer). */
  readonly waiting = computed(() => this.#all().filter((a) => a.waiting()));
  readonly activeCount = computed(() => this.#all().filter((a) => a.active()).length);
  /**
   * Why no agent can start now (every slot held by a run: running, paused or
   * waiting for the user), naming them and what frees one; null when one can.
   * Said before the form is opened, in the backend's own words.
   */
  readonly slotsTaken = computed(() => {
    const max = this.#hello()?.maxAgents ?? PANEL_COUNT;
    const holders = slotHolders(
      this.#all().map((a) => ({ id: a.id, slotOf: a.summary().slotOf, store: a })),
      (x) => x.store.active(),
    ).map((x) => ({ task: x.store.summary().task, state: x.store.state() }));
    return holders.length >= max ? slotsTakenMessage(max, holders) : null;
  });

  constructor() {
    this.#client.on('agent.state', (e) => this.#onState(e));
    this.#client.on('agent.transcript', (e) => this.#stores.get(e.agentId)?.onTranscript(e));
    this.#client.on('agent.usage', (e) => this.#stores.get(e.agentId)?.onUsage(e));
    this.#client.on('agent.approval', (e) => this.#stores.get(e.agentId)?.onApproval(e));
    this.#client.on('agent.question', (e) => this.#stores.get(e.agentId)?.onQuestion(e));
    this.#client.on('agent.error', (e) => this.#stores.get(e.agentId)?.onError(e));
    this.#client.on('agent.cache', (e) => this.#stores.get(e.agentId)?.onCache(e));
    this.#client.on('agent.persona', (e) => this.#stores.get(e.agentId)?.onPersona(e));
    this.#client.on('agent.instructions', (e) => this.#stores.get(e.agentId)?.onInstructions(e));
    this.#client.on('agent.model', (e) => this.#stores.get(e.agentId)?.onModel(e));
    this.#client.on('agent.hook', (e) => this.#stores.get(e.agentId)?.onHook(e));
    this.#client.on('agent.context', (e) => this.#stores.get(e.agentId)?.onContext(e));
    this.#client.on('agent.finish', (e) => this.#stores.get(e.agentId)?.onFinish(e));
    effect(() => {
      if (this.#client.session() > 0) untracked(() => void this.#sync());
    });
  }

  get(id: string): AgentStore | undefined {
    return this.#stores.get(id);
  }

  /** Starts an agent and shows it in a panel (an empty one, else the one of the oldest finished agent). */
  async start(params: ParamsOf<'agent.start'>): Promise<AgentStore> {
    const summary = await this.#client.request('agent.start', params);
    const store = this.#add(summary);
    this.#show(store.id);
    void store.load();
    return store;
  }

  /** Shows a past or finished agent of this session in a panel. */
  show(id: string): void {
    this.#show(id);
  }

  /** Empties a panel (the agent stays in the session and in history). */
  closePanel(id: string): void {
    this.#panels.update((ids) => ids.map((x) => (x === id ? null : x)));
    if (this.#focused() === id) this.#focused.set(null);
  }

  /** Lets one agent fill the window, or (null, or the same again) goes back to side by side. */
  toggleFocus(id: string | null): void {
    this.#focused.update((current) => (id === null || current === id ? null : id));
  }

  #storeOf(id: string): AgentStore | undefined {
    this.#all();
    return this.#stores.get(id);
  }

  #add(summary: AgentSummary): AgentStore {
    let store = this.#stores.get(summary.id);
    if (store) {
      store.onState({
        agentId: summary.id,
        state: summary.state,
        reason: summary.stateReason,
        agent: summary,
      });
      return store;
    }
    store = new AgentStore(summary, this.#client, this.#timing);
    this.#stores.set(summary.id, store);
    this.#all.update((list) =>
      [...list, store].sort((a, b) => a.summary().createdAt - b.summary().createdAt),
    );
    return store;
  }

  #show(id: string): void {
    this.#panels.update((ids) => {
      if (ids.includes(id)) return ids;
      const next = [...ids];
      let slot = next.indexOf(null);
      if (slot === -1) {
        // Replace the panel of the agent that finished longest ago; never one that is running.
        const finished = next
          .map((x, i) => ({ i, store: x === null ? undefined : this.#stores.get(x) }))
          .filter((p) => !p.store?.active())
          .sort(
            (a, b) => (a.store?.summary().updatedAt ?? 0) - (b.store?.summary().updatedAt ?? 0),
          );
        slot = finished[0]?.i ?? next.length - 1;
      }
      next[slot] = id;
      return next;
    });
  }

  #onState(event: EventMap['agent.state']): void {
    const known = this.#stores.get(event.agentId);
    if (known) {
      known.onState(event);
      return;
    }
    // Started from another window, or resumed from history: follow it here too.
    const store = this.#add(event.agent);
    if (store.active()) this.#show(store.id);
    void store.load();
  }

  async #sync(): Promise<void> {
    let list: AgentSummary[];
    try {
      const [hello, agents] = await Promise.all([
        this.#client.request('system.hello', {}),
        this.#client.request('agent.list', {}),
      ]);
      this.#hello.set(hello);
      list = agents;
    } catch {
      return; // Disconnected again; the next connection syncs.
    }
    const listed = new Set(list.map((a) => a.id));
    // A restarted backend has a new session: agents it no longer lists leave the console (they are in history).
    for (const id of [...this.#stores.keys()]) if (!listed.has(id)) this.#stores.delete(id);
    this.#all.update((stores) => stores.filter((s) => listed.has(s.id)));
    this.#panels.update((ids) => ids.map((id) => (id !== null && listed.has(id) ? id : null)));
    for (const summary of list) this.#add(summary);
    const running = (a: AgentSummary) =>
      ['running', 'paused', 'waiting_approval', 'waiting_answer'].includes(a.state);
    // Newest first from the backend: running agents get panels first, then the most recent others.
    for (const summary of [...list.filter(running), ...list.filter((a) => !running(a))]) {
      if (this.#panels().includes(null)) this.#show(summary.id);
    }
    await Promise.all(list.map((a) => this.#stores.get(a.id)?.load()));
  }
}
