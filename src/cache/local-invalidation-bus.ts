import { EventEmitter } from 'node:events';
import type { InvalidationBus, InvalidationMessage } from './invalidation-bus.ts';

/** Without Redis there is one instance to tell: this one. */
export function createLocalInvalidationBus(): InvalidationBus {
  const events = new EventEmitter();
  return {
    async publish(message) {
      events.emit('message', message);
    },
    subscribe(handler) {
      const listener = (message: InvalidationMessage) => handler(message);
      events.on('message', listener);
      return () => events.off('message', listener);
    },
    ready: async () => {},
    async close() {
      events.removeAllListeners();
    },
  };
}
