/**
 * `persistence/` owns the SQLite database: opening and migrating it, and the
 * repositories over it.
 *
 * The repositories over one database, created together.
 */
import type { Database } from '../../native/sqlite.ts';
import { AgentsRepository } from './agents-repository.ts';
import { EventsRepository } from './events-repository.ts';
import { TranscriptRepository } from './transcript-repository.ts';
import { UsageRepository } from './usage-repository.ts';

export interface AgentStore {
  readonly db: Database;
  readonly agents: AgentsRepository;
  readonly transcript: TranscriptRepository;
  readonly events: EventsRepository;
  readonly usage: UsageRepository;
}

export function createAgentStore(db: Database): AgentStore {
  return {
    db,
    agents: new AgentsRepository(db),
    transcript: new TranscriptRepository(db),
    events: new EventsRepository(db),
    usage: new UsageRepository(db),
  };
}
