import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ptyInfo } from '../../testing/fixtures';
import { BackendError, FakeTransport } from '../../testing/fake-transport';
import { PROTOCOL_TRANSPORT } from '../core/transport-provider';
import { TerminalSessions } from './terminal-sessions';

describe('TerminalSessions', () => {
  let transport: FakeTransport;
  let sessions: TerminalSessions;

  beforeEach(() => {
    transport = new FakeTransport();
    TestBed.configureTestingModule({
      providers: [{ provide: PROTOCOL_TRANSPORT, useValue: transport }],
    });
    sessions = TestBed.inject(TerminalSessions);
  });

  const ids = () => sessions.all().map((t) => t.id);

  it('adds a session the backend opened, once, and lists only shells as shells', () => {
    transport.emit('pty.opened', ptyInfo({ id: 'p1' }));
    transport.emit('pty.opened', ptyInfo({ id: 'p2', kind: 'agent', name: 'Agent a1' }));
    transport.emit('pty.opened', ptyInfo({ id: 'p1' }));
    expect(ids()).toEqual(['p1', 'p2']);
    expect(sessions.shells().map((t) => t.id)).toEqual(['p1']);
  });

  it('ignores a malformed opened event rather than adding a broken session', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    transport.raw({ type: 'event', event: 'pty.opened', data: { id: 'p1', kind: 'shell' } });
    expect(ids()).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('marks a session ended when its process exits, and forgets it when closed', () => {
    transport.emit('pty.opened', ptyInfo({ id: 'p1' }));
    transport.emit('pty.exit', { id: 'p1', exitCode: 130, signal: 'SIGINT' });
    expect(sessions.get('p1')?.info()).toMatchObject({
      alive: false,
      exitCode: 130,
      signal: 'SIGINT',
    });
    transport.emit('pty.closed', { id: 'p1' });
    expect(ids()).toEqual([]);
    expect(sessions.get('p1')).toBeUndefined();
  });

  it('on each connection, takes the backend list as the truth', async () => {
    transport.emit('pty.opened', ptyInfo({ id: 'gone' }));
    transport.emit('pty.opened', ptyInfo({ id: 'kept', title: 'bash' }));
    transport.handle('pty.list', () => ({
      sessions: [ptyInfo({ id: 'kept', title: 'vim' }), ptyInfo({ id: 'new' })],
    }));
    transport.emit('system.welcome', { connectionId: 'c1' });
    TestBed.tick();
    await expect.poll(ids).toEqual(['kept', 'new']);
    expect(sessions.get('kept')?.info().title).toBe('vim');
  });

  it('opens a shell and returns its session, listing again when the event was missed', async () => {
    transport.handle('pty.spawn', () => ({ id: 'p9', pid: 1, shell: '/bin/zsh' }));
    transport.handle('pty.list', () => ({ sessions: [ptyInfo({ id: 'p9', shell: '/bin/zsh' })] }));
    const terminal = await sessions.openShell();
    expect(terminal?.id).toBe('p9');
    expect(terminal?.info().shell).toBe('/bin/zsh');
    expect(sessions.error()).toBeUndefined();
  });

  it('says why a shell could not be opened, and clears it on the next success', async () => {
    transport.handle('pty.spawn', () => {
      throw new BackendError('limit_reached', 'Too many terminals');
    });
    expect(await sessions.openShell()).toBeUndefined();
    expect(sessions.error()).toBe('Could not open a shell: Too many terminals');

    transport.handle('pty.spawn', () => {
      transport.emit('pty.opened', ptyInfo({ id: 'p2' }));
      return { id: 'p2', pid: 2, shell: '/bin/bash' };
    });
    expect((await sessions.openShell())?.id).toBe('p2');
    expect(sessions.error()).toBeUndefined();
  });

  it('closes a session: asks the backend, then forgets it', async () => {
    transport.emit('pty.opened', ptyInfo({ id: 'p1' }));
    transport.handle('pty.close', () => null);
    await sessions.close('p1');
    expect(transport.sent.map((r) => [r.method, r.params])).toEqual([['pty.close', { id: 'p1' }]]);
    expect(ids()).toEqual([]);
  });

  it('keeps a session the backend would not close, and says why', async () => {
    transport.emit('pty.opened', ptyInfo({ id: 'p1' }));
    transport.handle('pty.close', () => {
      throw new BackendError('failed', 'kill failed');
    });
    await sessions.close('p1');
    expect(ids()).toEqual(['p1']);
    expect(sessions.error()).toBe('Could not close the terminal: kill failed');
  });
});
