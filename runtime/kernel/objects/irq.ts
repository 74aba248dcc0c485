/**
 * IRQ handlers: the right to receive one interrupt line. The kernel masks the line when it fires and
 * signals the handler's notification; the driver acknowledges through the handler, which unmasks it.
 */
import type { Notification } from './notification.js';

export class IrqHandler {
    notification: Notification | undefined;
    /** The badge of the notification capability given to SetNotification: the bits a fire signals. */
    badge = 0;
    /** True between the line firing and the driver's acknowledgement. */
    awaitingAck = false;

    constructor(readonly line: number, readonly deviceName: string) {}
}
