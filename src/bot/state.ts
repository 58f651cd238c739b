import { BotState, CachedBotState, ConversationState, Storage, TurnContext, UserState } from 'botbuilder';
import { ABSENT_ETAG } from '../core/storage';
import { botStateSlot } from './sdkInternals';

/**
 * botbuilder's BotState writes with eTag "*" (last writer wins) and hashes the whole state with SHA-256 three times a
 * turn. These subclasses change two things, keeping everything else (property accessors, clear, delete):
 * - change detection: conversation state is saved whenever the turn read it (a message turn always changes it: the
 *   transcript grows), user state when its JSON differs from what was read (no hashing);
 * - ConversationState saves with the eTag it read (or "create if absent" for a new conversation): if another
 *   instance saved the conversation in between, the save fails as an eTag conflict instead of silently dropping
 *   that instance's update. The conversation lease makes this the exception; this is the safety net behind it.
 * UserState keeps last-writer-wins: it only holds the user's language choice.
 */

/** The eTag each guarded state read in this turn, per storage key. */
const READ_ETAGS = Symbol('readEtags');

const snapshot = (state: Record<string, unknown>): string => {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
};

/** What change detection compares: the JSON read, or a constant when every loaded state is saved. */
type Snapshot = (state: Record<string, unknown>) => string;
const always: Snapshot = () => '';

async function load(self: BotState, storage: Storage, key: string, context: TurnContext, force: boolean, snap: Snapshot): Promise<unknown> {
  const slot = botStateSlot(self);
  const cached = context.turnState.get(slot) as CachedBotState | undefined;
  if (cached && !force) return cached.state;
  const state = ((await storage.read([key]))[key] ?? {}) as Record<string, unknown>;
  let etags = context.turnState.get(READ_ETAGS) as Map<string, string> | undefined;
  if (!etags) context.turnState.set(READ_ETAGS, (etags = new Map()));
  etags.set(key, typeof state.eTag === 'string' ? state.eTag : ABSENT_ETAG);
  context.turnState.set(slot, { state, hash: snap(state) });
  return state;
}

async function save(
  self: BotState,
  storage: Storage,
  key: string,
  context: TurnContext,
  force: boolean,
  guarded: boolean,
  snap: Snapshot,
): Promise<void> {
  const slot = botStateSlot(self);
  const cached = (context.turnState.get(slot) as CachedBotState | undefined) ?? (force ? { state: {}, hash: '' } : undefined);
  if (!cached) return;
  const json = snap(cached.state);
  if (!force && snap !== always && json === cached.hash) return;
  const etags = context.turnState.get(READ_ETAGS) as Map<string, string> | undefined;
  const eTag = guarded ? (etags?.get(key) ?? '*') : '*';
  await storage.write({ [key]: { ...cached.state, eTag } });
  // The new eTag is not returned by Storage.write: later saves in this turn overwrite (the turn holds the conversation).
  etags?.set(key, '*');
  cached.state.eTag = '*';
  cached.hash = json;
  context.turnState.set(slot, cached);
}

export class GuardedConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<unknown> {
    return load(this, this.storage, await this.storageKey(context), context, force, always);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    return save(this, this.storage, await this.storageKey(context), context, force, true, always);
  }
}

export class LightUserState extends UserState {
  override async load(context: TurnContext, force = false): Promise<unknown> {
    return load(this, this.storage, await this.storageKey(context), context, force, snapshot);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    return save(this, this.storage, await this.storageKey(context), context, force, false, snapshot);
  }
}
