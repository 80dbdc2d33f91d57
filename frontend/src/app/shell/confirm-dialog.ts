import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, type MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

/** What a destructive action asks: what it does, and what will be lost (or where what remains is). */
export interface Confirmation {
  title: string;
  /** Lines saying what will be lost; each one shown. */
  lost: readonly string[];
  /** The button that goes ahead, for example "Stop the agent". */
  action: string;
}

/** Asks before a destructive action, saying what will be lost; Cancel has the focus, so Enter never destroys. */
@Component({
  selector: 'tk-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title id="tk-confirm-title">{{ data.title }}</h2>
    <mat-dialog-content>
      <ul class="lost" aria-label="What will be lost">
        @for (line of data.lost; track $index) {
          <li>{{ line }}</li>
        }
      </ul>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" cdkFocusInitial>Cancel</button>
      <button mat-flat-button type="button" class="danger" [mat-dialog-close]="true">
        {{ data.action }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .lost {
      margin: 0;
      padding-left: 20px;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialog {
  readonly data = inject<Confirmation>(MAT_DIALOG_DATA);
}

/** Opens the confirmation; true when the user chose to go ahead. */
export async function confirmAction(
  dialog: MatDialog,
  confirmation: Confirmation,
): Promise<boolean> {
  const ref = dialog.open(ConfirmDialog, {
    data: confirmation,
    width: '480px',
    maxWidth: '95vw',
    role: 'alertdialog',
    ariaLabelledBy: 'tk-confirm-title',
  });
  return (await firstValueFrom(ref.afterClosed())) === true;
}
