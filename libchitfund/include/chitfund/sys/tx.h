/*
 * chitfund/sys/tx.h - the opaque transaction handle of the adapter SPI.
 *
 * A cf_tx is created by cf_uow.begin and ended by exactly one of commit or
 * rollback. Every repository method takes the tx it runs in. Thread-safety
 * contract of every port in chitfund/sys: methods may be called concurrently
 * with different tx values; one tx is used by one thread at a time.
 */
#ifndef CHITFUND_SYS_TX_H
#define CHITFUND_SYS_TX_H

#ifdef __cplusplus
extern "C" {
#endif

/** A transaction; its layout belongs to the adapter that made it. */
typedef struct cf_tx cf_tx;

#ifdef __cplusplus
}
#endif
#endif
