import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLiveAsync } from './useLiveAsync';

/** Shows what useLiveAsync returns for a load the test scripts, and reloads on a click. */
function Probe(props: { load: () => Promise<string>; filter?: string }) {
  const state = useLiveAsync(props.load, [props.load, props.filter]);
  return (
    <>
      <div data-testid="value">{state.value ?? 'none'}</div>
      <div data-testid="error">{state.error?.message ?? 'none'}</div>
      <button type="button" onClick={state.retry}>
        Reload
      </button>
    </>
  );
}

describe('useLiveAsync', () => {
  it('keeps the loaded value beside the error when a reload fails, and drops the error once one succeeds', async () => {
    const answers = [
      () => Promise.resolve('3 failing objects'),
      () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7007')),
      () => Promise.resolve('2 failing objects'),
    ];
    let calls = 0;
    const load = () => answers[calls++]();
    await renderInTestApp(<Probe load={load} />);
    await waitFor(() =>
      expect(screen.getByTestId('value')).toHaveTextContent(
        '3 failing objects',
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(screen.getByTestId('error')).toHaveTextContent('ECONNREFUSED'),
    );
    expect(screen.getByTestId('value')).toHaveTextContent('3 failing objects');

    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(screen.getByTestId('value')).toHaveTextContent(
        '2 failing objects',
      ),
    );
    expect(screen.getByTestId('error')).toHaveTextContent('none');
  });

  it('does not show the value of other inputs when the load for new ones fails', async () => {
    const load = (filter?: string) =>
      filter
        ? Promise.reject(new Error('text: must be at most 200 characters'))
        : Promise.resolve('all objects');
    const { rerender } = await renderInTestApp(<Probe load={() => load()} />);
    await waitFor(() =>
      expect(screen.getByTestId('value')).toHaveTextContent('all objects'),
    );
    const failing = () => load('x'.repeat(201));
    rerender(<Probe load={failing} filter="long" />);
    await waitFor(() =>
      expect(screen.getByTestId('error')).toHaveTextContent(
        'must be at most 200 characters',
      ),
    );
    expect(screen.getByTestId('value')).toHaveTextContent('none');
  });
});
