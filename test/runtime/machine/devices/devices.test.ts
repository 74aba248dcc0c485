import { describe, expect, test } from 'vitest';
import {
    BlockDevice, COMMAND_READ, COMMAND_WRITE, DISK_BUFFER, DISK_COMMAND, DISK_SECTOR, DISK_SECTORS, DISK_STATUS,
    InterruptController, Timer, TIMER_CONTROL, TIMER_DEADLINE_HI, TIMER_DEADLINE_LO, TIMER_NOW_LO, TIMER_PERIOD,
    Uart, UART_IER, UART_IIR, UART_LSR, UART_RBR, UART_THR
} from '../../../../runtime/machine/devices/index.js';

describe('interrupt controller', () => {
    test('raised lines are pending until masked; acknowledging unmasks; the lowest line comes first', () => {
        const controller = new InterruptController();
        let signalled = 0;
        controller.onPending = () => { signalled++; };
        controller.raise(12);
        controller.raise(3);
        expect(controller.pendingLine()).toBe(3);
        expect(signalled).toBe(2);
        controller.mask(3);
        expect(controller.pendingLine()).toBe(12);
        controller.lower(12);
        expect(controller.pendingLine()).toBeUndefined();
        controller.acknowledge(3);
        expect(controller.pendingLine()).toBe(3);
        expect(signalled).toBe(3);
        expect(() => controller.raise(64)).toThrow(RangeError);
    });
});

describe('UART', () => {
    test('transmits, receives, reports line status and holds its interrupt while input waits', () => {
        const controller = new InterruptController();
        const sent: number[] = [];
        const uart = new Uart(byte => sent.push(byte), { controller, line: 10 });
        uart.write(UART_THR, 1, 0x68);
        expect(sent).toEqual([0x68]);
        expect(uart.read(UART_LSR, 1)).toBe(0x60);
        uart.receive([0x41, 0x42]);
        expect(controller.isRaised(10)).toBe(false); // not enabled yet
        uart.write(UART_IER, 1, 1);
        expect(controller.isRaised(10)).toBe(true);
        expect(uart.read(UART_IIR, 1)).toBe(0x04);
        expect(uart.read(UART_LSR, 1)).toBe(0x61);
        expect([uart.read(UART_RBR, 1), uart.read(UART_RBR, 1)]).toEqual([0x41, 0x42]);
        expect(controller.isRaised(10)).toBe(false);
        expect(uart.read(UART_IIR, 1)).toBe(0x01);
        expect(uart.read(UART_RBR, 1)).toBe(0);
    });
});

describe('timer', () => {
    test('one-shot and periodic deadlines in cycles, acknowledged through CONTROL', () => {
        const controller = new InterruptController();
        let now = 100;
        const timer = new Timer(() => now, { controller, line: 5 });
        expect(timer.read(TIMER_NOW_LO, 4)).toBe(100);
        timer.write(TIMER_DEADLINE_LO, 4, 150);
        timer.write(TIMER_DEADLINE_HI, 4, 0);
        expect(timer.cyclesUntilDeadline()).toBeUndefined();
        timer.write(TIMER_CONTROL, 4, 1);
        expect(timer.cyclesUntilDeadline()).toBe(50);
        now = 149;
        timer.update();
        expect(controller.isRaised(5)).toBe(false);
        now = 150;
        timer.update();
        expect(controller.isRaised(5)).toBe(true);
        expect(timer.cyclesUntilDeadline()).toBeUndefined();
        timer.write(TIMER_CONTROL, 4, 3); // acknowledge, stay enabled
        expect(controller.isRaised(5)).toBe(false);
        timer.write(TIMER_PERIOD, 4, 40);
        timer.write(TIMER_DEADLINE_LO, 4, 200);
        now = 200;
        timer.update();
        expect(timer.read(TIMER_CONTROL, 4)).toBe(3);
        timer.write(TIMER_CONTROL, 4, 3);
        expect(timer.cyclesUntilDeadline()).toBe(40);
    });

    test('tells its owner when a write may move the next expiry, and only then', () => {
        const changes: number[] = [];
        const timer = new Timer(() => 0, undefined, () => changes.push(changes.length));
        timer.read(TIMER_NOW_LO, 4);
        timer.read(TIMER_CONTROL, 4);
        timer.write(TIMER_NOW_LO, 4, 5);
        timer.write(TIMER_DEADLINE_LO, 2, 5);
        expect(changes).toEqual([]);
        for (const register of [TIMER_DEADLINE_LO, TIMER_DEADLINE_HI, TIMER_PERIOD, TIMER_CONTROL]) timer.write(register, 4, 1);
        expect(changes).toEqual([0, 1, 2, 3]);
    });
});

describe('block device', () => {
    test('reads and writes sectors through its buffer; out-of-range and read-only writes fail', () => {
        const disk = new Uint8Array(4 * 512);
        disk.fill(7, 512, 1024);
        const controller = new InterruptController();
        const device = new BlockDevice(disk, false, { controller, line: 20 });
        expect(device.read(DISK_SECTORS, 4)).toBe(4);
        device.write(DISK_SECTOR, 4, 1);
        device.write(DISK_COMMAND, 4, COMMAND_READ);
        expect(controller.isRaised(20)).toBe(true);
        expect(device.read(DISK_STATUS, 4)).toBe(0);
        expect(controller.isRaised(20)).toBe(false);
        expect(device.read(DISK_BUFFER, 4)).toBe(0x07070707);
        device.write(DISK_BUFFER + 4, 2, 0xbeef);
        device.write(DISK_SECTOR, 4, 3);
        device.write(DISK_COMMAND, 4, COMMAND_WRITE);
        expect([...disk.subarray(3 * 512 + 3, 3 * 512 + 7)]).toEqual([7, 0xef, 0xbe, 7]);
        device.write(DISK_SECTOR, 4, 4);
        device.write(DISK_COMMAND, 4, COMMAND_READ);
        expect(device.read(DISK_STATUS, 4)).toBe(1);
        const readOnly = new BlockDevice(new Uint8Array(512), true);
        readOnly.write(DISK_COMMAND, 4, COMMAND_WRITE);
        expect(readOnly.read(DISK_STATUS, 4)).toBe(1);
    });
});
