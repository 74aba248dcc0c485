import { describe, expect, it } from 'vitest';
import { TIMER_CONTROL, TIMER_DEADLINE_HI, TIMER_DEADLINE_LO, TIMER_NOW_LO } from '../../../runtime/machine/index.js';
import { CycleCost } from '../../../runtime/kernel/cycle-costs.js';
import { Invocation, KernelError, Syscall } from '../../../runtime/kernel/index.js';
import { bootTest, invoke, syscall } from './harness.js';

const TIMER = 0x4000_0000;

/** A driver: claims the timer's interrupt, sets a deadline 20,000 cycles ahead, waits, acknowledges. */
const DRIVER = `
_start:
${invoke(2, Invocation.IrqSetNotification, [3])}
    mv s1, a6
${invoke(2, Invocation.IrqAck)}
    li t0, ${TIMER}
    lw t1, ${TIMER_NOW_LO}(t0)
    li t2, 20000
    add t1, t1, t2
    sw t1, ${TIMER_DEADLINE_LO}(t0)
    sw zero, ${TIMER_DEADLINE_HI}(t0)
    mv s4, t1
    li t1, 1
    sw t1, ${TIMER_CONTROL}(t0)
${syscall(Syscall.Wait, { a0: 3 })}
    mv s2, a0
    li t0, ${TIMER}
    lw s3, ${TIMER_NOW_LO}(t0)
    li t1, 2
    sw t1, ${TIMER_CONTROL}(t0)
${invoke(2, Invocation.IrqAck)}
${syscall(Syscall.DebugPutChar, { a0: 84 })}
${invoke(2, Invocation.IrqSetNotification, [1])}
    mv s5, a6
${invoke(2, 99)}
    mv s6, a6
    j park
`;

function timerSystem(withSpinner: boolean) {
    return bootTest({
        devices: [{ name: 'timer0', kind: 'timer', irq: 5 }],
        objects: [{ name: 'tick', kind: 'notification' }],
        components: [
            {
                name: 'driver', priority: 150, source: DRIVER,
                caps: [{ slot: 1, device: 'timer0', mapAt: TIMER }, { slot: 2, irq: 'timer0' }, { slot: 3, notification: 'tick', badge: 0x10 }]
            },
            ...(withSpinner ? [{ name: 'spinner', priority: 10, source: '_start:\n    j _start' }] : [])
        ]
    });
}

describe('interrupts', () => {
    it('preempts a busy thread and wakes the driver through its notification at the deadline', () => {
        const system = timerSystem(true);
        const result = system.run(200_000);
        expect(result.reason).toBe('cycle-limit');
        expect(system.console()).toBe('T');
        expect(system.reg('driver', 's1')).toBe(KernelError.NoError);
        expect(system.reg('driver', 's2')).toBe(0x10);
        const deadline = system.reg('driver', 's4');
        const woke = system.reg('driver', 's3');
        expect(woke).toBeGreaterThanOrEqual(deadline);
        expect(woke - deadline).toBeLessThan(3_000);
        expect(system.reg('driver', 's5')).toBe(KernelError.InvalidCapability);
        expect(system.reg('driver', 's6')).toBe(KernelError.InvalidArgument);
        expect(system.events.filter(event => event.kind === 'interrupt')).toEqual([
            { kind: 'interrupt', cycle: expect.any(Number), line: 5, device: 'timer0', notification: 'tick' }
        ]);
    });

    it('lets emulated time pass when every thread waits for a timer', () => {
        const system = timerSystem(false);
        const result = system.run();
        expect(result.reason).toBe('idle');
        expect(system.console()).toBe('T');
        expect(system.reg('driver', 's3')).toBeGreaterThanOrEqual(system.reg('driver', 's4'));
    });

    describe.each([true, false])('timer time (translate: %s)', translate => {
        /**
         * The driver claims the timer's interrupt for `tick`, reads NOW around a loop, sets a one-shot deadline
         * DELAY after its last read and spins without a system call; the waiter (higher priority) wakes on `tick`.
         */
        const DELAY = 5_000;
        function deadlineSystem() {
            return bootTest({
                devices: [{ name: 'timer0', kind: 'timer', irq: 5 }],
                objects: [{ name: 'tick', kind: 'notification' }],
                components: [
                    {
                        name: 'driver', priority: 150,
                        caps: [{ slot: 1, device: 'timer0', mapAt: TIMER }, { slot: 2, irq: 'timer0' }, { slot: 3, notification: 'tick', rights: 'w', badge: 1 }],
                        source: `
_start:
${invoke(2, Invocation.IrqSetNotification, [3])}
${invoke(2, Invocation.IrqAck)}
    li t0, ${TIMER}
    lw s1, ${TIMER_NOW_LO}(t0)
    li t1, 100
loop:
    addi t1, t1, -1
    bnez t1, loop
    lw s2, ${TIMER_NOW_LO}(t0)
    li t2, ${DELAY}
    add s3, s2, t2
    sw s3, ${TIMER_DEADLINE_LO}(t0)
    sw zero, ${TIMER_DEADLINE_HI}(t0)
    li t1, 1
    sw t1, ${TIMER_CONTROL}(t0)
    li t1, 20000
spin:
    addi t1, t1, -1
    bnez t1, spin
    j park
`
                    },
                    { name: 'waiter', priority: 200, caps: [{ slot: 1, notification: 'tick', rights: 'r' }], source: `
_start:
${syscall(Syscall.Wait, { a0: 1 })}
    j park
` }
                ]
            }, { translate });
        }

        it('reads NOW exactly at every read, not as of the start of the time slice', () => {
            const system = deadlineSystem();
            system.run(200_000);
            // Between the reads: the first read itself, the li and 100 iterations of two instructions.
            expect(system.reg('driver', 's2') - system.reg('driver', 's1')).toBe(202);
        });

        it('raises a one-shot interrupt at its deadline exactly, though the deadline was set in the middle of a slice', () => {
            const system = deadlineSystem();
            system.run(200_000);
            const deadline = system.reg('driver', 's3');
            expect(system.events.filter(event => event.kind === 'interrupt').map(event => event.cycle)).toEqual([deadline]);
            expect(system.events.filter(event => event.kind === 'signal').map(event => [event.cycle, event.woke])).toEqual([[deadline + CycleCost.interrupt + CycleCost.notification, 'waiter']]);
        });
    });
});
