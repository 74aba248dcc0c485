/** The emulated machine's devices: an interrupt controller, a UART, a timer and a block device. */
export { InterruptController, IRQ_LINES } from './interrupt-controller.js';
export * from './uart.js';
export * from './timer.js';
export * from './block-device.js';
