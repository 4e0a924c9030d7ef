import React from 'react';
import { type AppPluginMeta, PluginType } from '@grafana/data';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { installFakeBackendSrv } from '../../testing/fakeBackendSrv';
import { testIds } from '../../testIds';
import { AppConfigForm } from './AppConfig';
import type { AppSettings } from './settings';

const ids = testIds.appConfig;

function meta(overrides: Partial<AppPluginMeta<AppSettings>> = {}): AppPluginMeta<AppSettings> {
  return {
    id: 'vigil-observability-app',
    name: 'Vigil',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData: {},
    ...overrides,
  } as AppPluginMeta<AppSettings>;
}

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('AppConfigForm', () => {
  test('saves the URL in jsonData and the token in secureJsonData, then reports saved', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: { message: 'Plugin settings updated' } }));
    const onSaved = jest.fn();
    render(<AppConfigForm meta={meta()} onSaved={onSaved} />);
    type(ids.sidecarUrl, ' http://127.0.0.1:8787/ ');
    type(ids.sidecarToken, 's3cret');
    fireEvent.click(screen.getByTestId(ids.submit));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      url: '/api/plugins/vigil-observability-app/settings',
      method: 'POST',
      data: {
        enabled: true,
        pinned: true,
        jsonData: { sidecarUrl: 'http://127.0.0.1:8787' },
        secureJsonData: { sidecarToken: 's3cret' },
      },
    });
  });

  test('a stored token is shown as configured and not sent again', async () => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    const onSaved = jest.fn();
    render(
      <AppConfigForm
        meta={meta({ jsonData: { sidecarUrl: 'http://sidecar:8787' }, secureJsonFields: { sidecarToken: true } })}
        onSaved={onSaved}
      />
    );
    expect(screen.getByTestId(ids.sidecarUrl)).toHaveValue('http://sidecar:8787');
    expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(ids.submit));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(fake.requests[0].data.secureJsonData).toBeUndefined();
    expect(fake.requests[0].data.jsonData).toEqual({ sidecarUrl: 'http://sidecar:8787' });
  });

  test.each([
    ['not a url', 'is not an absolute URL'],
    ['ftp://sidecar', 'must use http or https, not ftp'],
    ['http://user:pw@sidecar:8787', 'must not contain credentials'],
    ['http://sidecar:8787/?x=1', 'must not contain a query string or fragment'],
  ])('refuses the URL %p with a message, and does not save', (url, message) => {
    const fake = installFakeBackendSrv(() => ({ status: 200, body: {} }));
    render(<AppConfigForm meta={meta({ secureJsonFields: { sidecarToken: true } })} onSaved={jest.fn()} />);
    type(ids.sidecarUrl, url);
    fireEvent.click(screen.getByTestId(ids.submit));
    expect(screen.getByTestId(ids.urlError)).toHaveTextContent(message);
    expect(fake.requests).toHaveLength(0);
  });

  test('a missing token is required; a failed save is shown', async () => {
    installFakeBackendSrv(() => ({ status: 500, body: { message: 'database is locked' } }));
    const onSaved = jest.fn();
    render(<AppConfigForm meta={meta()} onSaved={onSaved} />);
    type(ids.sidecarUrl, 'http://127.0.0.1:8787');
    fireEvent.click(screen.getByTestId(ids.submit));
    expect(screen.getByText('Sidecar token is required')).toBeInTheDocument();
    type(ids.sidecarToken, 'tok');
    fireEvent.click(screen.getByTestId(ids.submit));
    expect(await screen.findByText('Saving the settings failed: database is locked')).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
  });
});
