"""The person's notifications: the whole list, marking them read (one or all), and how
they want to hear of each kind."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from engage.core.i18n import page_language
from engage.core.navigation import redirect_back
from engage.space import queries, services
from engage.space.forms import ConfirmActionForm, PreferencesForm
from engage.space.routes import bp, own_notification


@bp.get("/notifications")
@login_required
def notifications():
    return render_template(
        "space/notifications.html", page=queries.notifications_page(current_user,
                                                                     page_language()),
        unread=queries.header_unread_count())


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id):
    notification = own_notification(notification_id)
    if ConfirmActionForm().validate_on_submit():
        services.mark_read(current_user, notification)
        flash(_("The notification is marked as read."), "success")
    return redirect_back("space.notifications")


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    if ConfirmActionForm().validate_on_submit():
        marked = services.mark_all_read(current_user)
        flash(ngettext("%(num)d notification marked as read.",
                       "%(num)d notifications marked as read.", marked)
              if marked else _("You had no unread notification."), "success")
    return redirect_back("space.notifications")


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def preferences():
    form = PreferencesForm(prefix="delivery", data=queries.deliveries(current_user))
    if form.validate_on_submit():
        services.save_preferences(current_user, form.chosen())
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("space.preferences"))
    status = 422 if form.errors else 200
    return render_template("space/preferences.html", form=form), status
