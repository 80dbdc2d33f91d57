/**
 * An index for "the latest event of a type for an agent" (its persona, its
 * closing report, its last context compaction, its cache counters), which a
 * summary of a past run reads without scanning the agent's whole log.
 */
import type { Migration } from '../migrate.ts';

export const migration002: Migration = {
  version: 2,
  name: 'events-by-type',
  sql: `CREATE INDEX agent_events_by_type ON agent_events (agent_id, type, id);`,
};
