import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('opens on the sign-in page with the guest provider', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    // The app opens on its sign-in page, titled from the config, with the guest provider the dev setup uses.
    expect(
      await rendered.findByText('Guest', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(rendered.getByRole('heading', { name: 'Test' })).toBeInTheDocument();
    expect(rendered.getByRole('button', { name: 'Enter' })).toBeEnabled();
  });
});
