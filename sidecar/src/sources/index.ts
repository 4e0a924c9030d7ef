import type { DatasourceConfig } from '../config/schema';
import { InfluxSource } from './influxdb';
import { PrometheusSource } from './prometheus';
import type { Source } from './source';

export type { Source, Series, PingResult, CallOptions } from './source';

/** Builds the Source for a configured datasource. */
export function createSource(config: DatasourceConfig): Source {
  switch (config.type) {
    case 'prometheus':
      return new PrometheusSource(config);
    case 'influxdb':
      return new InfluxSource(config);
  }
}
