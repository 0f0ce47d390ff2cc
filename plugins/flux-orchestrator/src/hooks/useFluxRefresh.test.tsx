import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import { useState } from 'react';
import {
  concernsObject,
  FluxSignal,
  listRelevance,
  Relevance,
  useFluxRefresh,
} from './useFluxRefresh';

function RefreshCounter(props: {
  relevant?: (signal: FluxSignal) => Relevance;
}) {
  const [refreshes, setRefreshes] = useState(0);
  useFluxRefresh(() => setRefreshes(n => n + 1), { relevant: props.relevant });
  return <div data-testid="refreshes">{refreshes}</div>;
}

/** A signal API whose messages the test sends. */
function fakeSignals() {
  const listeners: Array<(message: FluxSignal) => void> = [];
  return {
    api: {
      subscribe: (channel: string, onMessage: (message: any) => void) => {
        expect(channel).toBe('flux-orchestrator');
        listeners.push(onMessage);
        return { unsubscribe: () => {} };
      },
    },
    send: (message: FluxSignal) =>
      act(() => listeners.forEach(listener => listener(message))),
  };
}

describe('useFluxRefresh', () => {
  it('refreshes once for a burst of relevant signals, a second later, and ignores the others', async () => {
    jest.useFakeTimers();
    try {
      const signals = fakeSignals();
      await renderInTestApp(
        <TestApiProvider apis={[[signalApiRef, signals.api]]}>
          <RefreshCounter
            relevant={s => s.type === 'changed' && concernsObject(s, 'uid-a')}
          />
        </TestApiProvider>,
      );
      signals.send({ type: 'changed', uids: ['uid-b', 'uid-a'] });
      signals.send({ type: 'changed', uids: ['uid-a'] });
      signals.send({ type: 'sync-finished' });
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^0$/);
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^1$/);

      signals.send({ type: 'changed', uids: ['uid-b'] });
      signals.send({ type: 'action', uids: ['uid-a'] });
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^1$/);
      // A relist names no object: any may have changed.
      signals.send({ type: 'changed' });
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^2$/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reloads a list at once for a change of a row it shows, and within five seconds for a change elsewhere', async () => {
    jest.useFakeTimers();
    try {
      const signals = fakeSignals();
      await renderInTestApp(
        <TestApiProvider apis={[[signalApiRef, signals.api]]}>
          <RefreshCounter relevant={listRelevance([{ uid: 'shown' }])} />
        </TestApiProvider>,
      );
      signals.send({ type: 'changed', uids: ['elsewhere'] });
      act(() => jest.advanceTimersByTime(4000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^0$/);
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^1$/);

      // A change of a shown row brings a pending later reload forward.
      signals.send({ type: 'changed', uids: ['elsewhere'] });
      act(() => jest.advanceTimersByTime(500));
      signals.send({ type: 'changed', uids: ['other', 'shown'] });
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^2$/);
      act(() => jest.advanceTimersByTime(10_000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^2$/);

      signals.send({ type: 'sync-finished' });
      act(() => jest.advanceTimersByTime(1000));
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^3$/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('falls back to polling every 30 s when the app has no signal API', async () => {
    jest.useFakeTimers();
    try {
      await renderInTestApp(<RefreshCounter />);
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^0$/);
      act(() => {
        jest.advanceTimersByTime(30_000);
      });
      expect(screen.getByTestId('refreshes')).toHaveTextContent(/^1$/);
    } finally {
      jest.useRealTimers();
    }
  });
});
