import { TeamsInfo, TurnContext } from 'botbuilder';
import { log } from '../../core/log';

const MEMBER_TTL_MS = 5 * 60 * 1000;
/** A Retry-After up to this long is waited for within the lookup; a longer one makes the lookup unavailable. */
const MAX_WAIT_MS = 3_000;

/** The roster could not be checked (Teams failed or throttled): neither "member" nor "not a member". */
export class RosterUnavailableError extends Error {}

interface LookupError {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined } };
  message?: string;
}

const retryAfterMs = (err: LookupError): number | undefined => {
  const header = err.response?.headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
};

/** Teams says the user is not in the team: the only answer that means "not a member". */
const notMember = (err: LookupError): boolean => err.statusCode === 404 || err.code === 'MemberNotFoundInConversation';

/**
 * Membership of the helpdesk team, from the Teams roster API. Answers (member or not) are cached for a few minutes;
 * a failed lookup is not an answer: it is never cached, it throws RosterUnavailableError, and a throttled lookup
 * (429) waits for Retry-After, or tells callers to come back after it without asking Teams again before then.
 */
export class Roster {
  private readonly cache = new Map<string, { member: boolean; until: number }>();
  private listed?: { ids: string[]; until: number };
  private throttledUntil = 0;

  constructor(private readonly teamId: string) {}

  /**
   * The first `limit` members of the team (one page of Teams' paged roster), cached like membership answers (but
   * kept apart from them: a ticket action always asks isMember). A failed or throttled lookup throws RosterUnavailableError.
   */
  async memberIds(context: TurnContext, limit: number): Promise<string[]> {
    if (this.listed && this.listed.until > Date.now()) return this.listed.ids.slice(0, limit);
    if (this.throttledUntil > Date.now()) throw new RosterUnavailableError('roster throttled');
    try {
      const page = await TeamsInfo.getPagedTeamMembers(context, this.teamId, limit);
      const ids = (page.members ?? []).map((m) => m.id).filter((id): id is string => !!id);
      this.listed = { ids, until: Date.now() + MEMBER_TTL_MS };
      return ids.slice(0, limit);
    } catch (raw) {
      const err = raw as LookupError;
      if (err.statusCode === 429) this.throttledUntil = Date.now() + (retryAfterMs(err) ?? 1000);
      log('warn', 'roster listing failed', { status: err.statusCode ?? null, error: err.message });
      throw new RosterUnavailableError(`roster listing failed: ${err.message ?? String(raw)}`);
    }
  }

  async isMember(context: TurnContext, userId: string): Promise<boolean> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > Date.now()) return cached.member;
    for (let attempt = 0; ; attempt++) {
      const wait = this.throttledUntil - Date.now();
      if (wait > MAX_WAIT_MS) throw new RosterUnavailableError(`roster throttled for ${Math.ceil(wait / 1000)} s`);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await TeamsInfo.getTeamMember(context, this.teamId, userId);
        return this.remember(userId, true);
      } catch (raw) {
        const err = raw as LookupError;
        if (notMember(err)) return this.remember(userId, false);
        if (err.statusCode === 429) {
          this.throttledUntil = Date.now() + (retryAfterMs(err) ?? 1000);
          if (attempt === 0) continue;
        }
        log('warn', 'roster check failed', { status: err.statusCode ?? null, error: err.message });
        throw new RosterUnavailableError(`roster lookup failed: ${err.message ?? String(raw)}`);
      }
    }
  }

  private remember(userId: string, member: boolean): boolean {
    this.cache.set(userId, { member, until: Date.now() + MEMBER_TTL_MS });
    if (!member) log('info', 'roster check: not a helpdesk member');
    return member;
  }
}
